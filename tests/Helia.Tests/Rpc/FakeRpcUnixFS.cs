using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

/// <summary>Treats every file as one raw block, so endpoint tests need no importer.</summary>
internal sealed class FakeRpcUnixFS : IRpcUnixFS
{
    private readonly Dictionary<Cid, byte[]> _files = [];

    public FakeRpcUnixFS()
    {
        byte[] hello = "Hello World"u8.ToArray();
        _files[Cid.Compute(Multicodec.Raw, hello)] = hello;
    }

    public RpcAddOptions? LastOptions { get; private set; }

    public async ValueTask<RpcAdded> AddFileAsync(Stream content, RpcAddOptions options, CancellationToken cancellationToken)
    {
        LastOptions = options;
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        byte[] bytes = buffer.ToArray();
        Cid cid = Cid.Compute(Multicodec.Raw, bytes);
        _files[cid] = bytes;
        return new RpcAdded(cid, (ulong)bytes.Length);
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(Cid cid, long offset, long? length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        byte[] bytes = _files[cid];
        int start = (int)Math.Min(offset, bytes.Length);
        int count = (int)Math.Min(length ?? long.MaxValue, bytes.Length - start);
        yield return bytes.AsMemory(start, count);
    }

    public IAsyncEnumerable<RpcAddedEntry> AddTreeAsync(IReadOnlyList<RpcAddEntry> entries, bool wrap, RpcAddOptions options, CancellationToken cancellationToken) =>
        throw new RpcException("the fake has no directories");

    public ValueTask<Cid> ResolveAsync(string path, CancellationToken cancellationToken) =>
        throw new RpcException($"no such path {path}: the fake has no directories");

    public ValueTask<RpcFileStat> StatAsync(Cid cid, CancellationToken cancellationToken) =>
        _files.TryGetValue(cid, out byte[]? bytes)
            ? ValueTask.FromResult(new RpcFileStat(cid.ToString(), (ulong)bytes.Length, (ulong)bytes.Length, 0, "file"))
            : throw new RpcException($"block {cid} not found", RpcErrorCode.NotFound);

    public async IAsyncEnumerable<RpcLsLink> ListAsync(Cid cid, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new RpcLsLink("hello.txt", cid.ToString(), (ulong)_files[cid].Length, 2);
    }

    public async IAsyncEnumerable<RpcGetEntry> WalkAsync(Cid root, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new RpcGetEntry("", RpcEntryKind.File, root, (ulong)_files[root].Length);
    }
}
