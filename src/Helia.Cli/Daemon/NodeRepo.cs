using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Core.Pins;
using Helia.Core.Repo;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>repo gc (the node's mark-and-sweep over its pins) and repo stat over the local blockstore.</summary>
internal sealed class NodeRepo(HeliaNode node, string repoPath) : IRpcRepo
{
    public IAsyncEnumerable<Cid> CollectGarbageAsync(CancellationToken cancellationToken) => node.GarbageCollectAsync(cancellationToken);

    /// <summary>
    /// Kubo's figures: NumObjects counts the blocks, RepoSize is the disk usage of the whole repo folder (blocks,
    /// datastore, config), Version is the repo's version file as "fs-repo@N".
    /// </summary>
    public async ValueTask<RpcRepoStat> GetStatAsync(CancellationToken cancellationToken)
    {
        ulong count = 0;
        IBlockstore local = node.LocalBlockstore is GcBlockstore gc ? gc.Inner : node.LocalBlockstore;
        if (local is FlatFsBlockstore flatfs)
        {
            count = (ulong)Directory.EnumerateFiles(flatfs.Root, "*.data", SearchOption.AllDirectories).LongCount();
        }
        else
        {
            await foreach (Block block in local.GetAllAsync(cancellationToken))
            {
                count++;
            }
        }

        string path = Path.GetFullPath(repoPath);
        ulong size = 0;
        foreach (FileInfo file in new DirectoryInfo(path).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true }))
        {
            size += (ulong)file.Length;
        }

        int version = await Repo.ReadVersionAsync(path, cancellationToken);
        return new RpcRepoStat(size, (ulong)new DriveInfo(path).TotalSize, count, path, $"fs-repo@{version}");
    }
}
