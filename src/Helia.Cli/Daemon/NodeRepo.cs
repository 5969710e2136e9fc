using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>
/// repo stat over the local blockstore. Garbage collection needs the pin set, which the node does not expose yet,
/// so repo gc refuses (rather than deleting pinned data).
/// </summary>
internal sealed class NodeRepo(HeliaNode node, string repoPath) : IRpcRepo
{
    public async IAsyncEnumerable<Cid> CollectGarbageAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        throw new RpcException("repo gc is not available yet: this node has no pin set to protect blocks", RpcErrorCode.Implementation);
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }

    public async ValueTask<RpcRepoStat> GetStatAsync(CancellationToken cancellationToken)
    {
        ulong count = 0;
        ulong size = 0;
        if (node.LocalBlockstore is FlatFsBlockstore flatfs)
        {
            foreach (string file in Directory.EnumerateFiles(flatfs.Root, "*.data", SearchOption.AllDirectories))
            {
                count++;
                size += (ulong)new FileInfo(file).Length;
            }
        }
        else
        {
            await foreach (Block block in node.LocalBlockstore.GetAllAsync(cancellationToken))
            {
                count++;
                size += (ulong)block.Bytes.Length;
            }
        }

        DriveInfo drive = new(Path.GetFullPath(repoPath));
        return new RpcRepoStat(size, (ulong)drive.TotalSize, count, Path.GetFullPath(repoPath), "fs-repo@helia-1");
    }
}
