using Helia.Cli;

return await HeliaCommandLine.InvokeAsync(args, Console.Out, Console.Error);
