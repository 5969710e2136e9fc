using System.CommandLine;
using System.Text.Json;
using Helia.Cli.Repo;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia init [--profile test]`: a new repo with a new Ed25519 identity, as `ipfs init`.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var profile = new Option<string?>("--profile", "-p") { Description = "Apply a profile: 'test' listens on loopback only, with random ports." };
        profile.AcceptOnlyFromAmong("test", "default");
        var command = new Command("init", "Initialize a helia repository with a new Ed25519 identity.") { profile };
        CliAction.Set(command, async (parseResult, context) =>
        {
            CliRepo repo = context.Repo;
            if (repo.IsInitialized)
            {
                throw new CliException($"helia repo already exists in {repo.Path}");
            }

            Directory.CreateDirectory(repo.Path);
            await context.Output.WriteAsync("generating ED25519 keypair...");
            using PrivateKey key = Ed25519PrivateKey.Generate();
            await KeyFile.SaveAsync(Path.Combine(repo.Path, CliRepo.KeyFileName), key, context.CancellationToken);
            await context.Output.WriteLineAsync("done");
            bool test = parseResult.GetValue(profile) == "test";
            var config = new CliConfig
            {
                Swarm = test ? ["/ip4/127.0.0.1/tcp/0"] : ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"],
                Api = test ? "/ip4/127.0.0.1/tcp/0" : "/ip4/127.0.0.1/tcp/5001",
                Mdns = !test,
            };
            await File.WriteAllTextAsync(Path.Combine(repo.Path, CliRepo.ConfigFileName), JsonSerializer.Serialize(config, CliConfig.JsonOptions), context.CancellationToken);
            PeerId id = PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash());
            await context.Output.WriteLineAsync($"peer identity: {id}");
            await context.Output.WriteLineAsync($"initialized helia repo at {repo.Path}");
            return 0;
        });
        return command;
    }
}
