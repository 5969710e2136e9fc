using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Core.Pins;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>repo gc (the node's mark-and-sweep over its pins) and repo stat over the local blockstore.</summary>
internal sealed class NodeRepo(HeliaNode node, string repoPath) : IRpcRepo
{
    public IAsyncEnumerable<Cid> CollectGarbageAsync(CancellationToken cancellationToken) => node.GarbageCollectAsync(cancellationToken);

    public async ValueTask<RpcRepoStat> GetStatAsync(CancellationToken cancellationToken)
    {
        ulong count = 0;
        ulong size = 0;
        IBlockstore local = node.LocalBlockstore is GcBlockstore gc ? gc.Inner : node.LocalBlockstore;
        if (local is FlatFsBlockstore flatfs)
        {
            foreach (string file in Directory.EnumerateFiles(flatfs.Root, "*.data", SearchOption.AllDirectories))
            {
                count++;
                size += (ulong)new FileInfo(file).Length;
            }
        }
        else
        {
            await foreach (Block block in local.GetAllAsync(cancellationToken))
            {
                count++;
                size += (ulong)block.Bytes.Length;
            }
        }

        DriveInfo drive = new(Path.GetFullPath(repoPath));
        return new RpcRepoStat(size, (ulong)drive.TotalSize, count, Path.GetFullPath(repoPath), "fs-repo@helia-1");
    }
}
