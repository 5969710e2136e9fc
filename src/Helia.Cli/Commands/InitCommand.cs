using System.CommandLine;
using Helia.Core.Repo;
using Helia.Libp2p.Crypto;

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

            await context.Output.WriteAsync("generating ED25519 keypair...");
            using PrivateKey key = Ed25519PrivateKey.Generate();
            await context.Output.WriteLineAsync("done");
            bool test = parseResult.GetValue(profile) == "test";
            var config = new RepoConfig
            {
                Identity = key.ToRepoIdentity(),
                Addresses = test ? new RepoAddresses { Swarm = ["/ip4/127.0.0.1/tcp/0"], Api = ["/ip4/127.0.0.1/tcp/0"] } : new RepoAddresses(),
                Discovery = new RepoDiscovery { Mdns = new RepoMdns { Enabled = !test } },
            };
            await using (Repo created = await Repo.InitAsync(repo.Path, config, cancellationToken: context.CancellationToken))
            {
                await context.Output.WriteLineAsync($"peer identity: {created.Config.Identity.PeerId}");
            }

            await context.Output.WriteLineAsync($"initialized helia repo at {repo.Path}");
            return 0;
        });
        return command;
    }
}
