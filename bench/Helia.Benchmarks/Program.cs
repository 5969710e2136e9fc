using BenchmarkDotNet.Running;
using Helia.Benchmarks.EndToEnd;

// dotnet run -c Release --project bench/Helia.Benchmarks -- e2e [--size-mib N] [--runs N]   side by side with JS Helia
// dotnet run -c Release --project bench/Helia.Benchmarks -- node serve|fetch …             one benchmark node (child process)
// dotnet run -c Release --project bench/Helia.Benchmarks -- [BenchmarkDotNet arguments]    microbenchmarks
return args.FirstOrDefault() switch
{
    "e2e" => await SideBySide.RunAsync(args[1..]),
    "node" => await BenchNode.RunAsync(args[1..]),
    _ => RunMicrobenchmarks(args),
};

static int RunMicrobenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(SideBySide).Assembly).Run(args);
    return 0;
}
