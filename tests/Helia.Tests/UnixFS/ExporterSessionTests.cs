using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

/// <summary>Reading a file through a networked blockstore fetches its blocks through one session for the file.</summary>
public class ExporterSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cat_NetworkedBlockstore_FetchesTheFileBlocksThroughOneSession()
    {
        ImporterOptions options = ImporterOptions.UnixFSV1_2025 with { Chunker = new FixedSizeChunker(100), MaxChildrenPerNode = 4 };
        (MemoryBlockstore remote, Cid root, byte[] bytes) = await ExporterTests.ImportAsync(1_050, options);
        var broker = new RecordingBroker(remote);
        var networked = new NetworkedBlockstore(new MemoryBlockstore(), [broker]);

        byte[] read = await ExporterTests.CatAsync(new UnixFSExporter(networked, prefetch: 3), root.ToString());

        Assert.Equal(bytes, read);
        Assert.Equal([root], broker.SessionRoots);
        Assert.Equal(1, broker.Direct);                                  // the root, resolved before the session
        int blocks = 0;
        await foreach (Block _ in remote.GetAllAsync(Ct))
        {
            blocks++;
        }

        Assert.Equal(blocks - 1, broker.ThroughSession);                  // every other block of the file
    }

    [Fact]
    public async Task Cat_SingleBlockFile_OpensNoSession()
    {
        (MemoryBlockstore remote, Cid root, byte[] bytes) = await ExporterTests.ImportAsync(10, ImporterOptions.UnixFSV1_2025);
        var broker = new RecordingBroker(remote);
        var networked = new NetworkedBlockstore(new MemoryBlockstore(), [broker]);

        Assert.Equal(bytes, await ExporterTests.CatAsync(new UnixFSExporter(networked), root.ToString()));
        Assert.Empty(broker.SessionRoots);
    }

    /// <summary>A broker serving blocks from another store, counting what went through sessions.</summary>
    private sealed class RecordingBroker(IBlockstore source) : IBlockBroker
    {
        private int _direct;
        private int _throughSession;

        public string Name => "recording";

        public IBlockstore Source => source;

        public List<Cid> SessionRoots { get; } = [];

        public int Direct => _direct;

        public int ThroughSession => _throughSession;

        public async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _direct);
            return await source.GetAsync(cid, cancellationToken);
        }

        public ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public IBlockBroker? CreateSession(Cid root, SessionOptions options)
        {
            lock (SessionRoots)
            {
                SessionRoots.Add(root);
            }

            return new Session(this);
        }

        private sealed class Session(RecordingBroker owner) : IBlockBroker
        {
            public string Name => "recording-session";

            public async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref owner._throughSession);
                return await owner.Source.GetAsync(cid, cancellationToken);
            }

            public ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public IBlockBroker? CreateSession(Cid root, SessionOptions options) => null;
        }
    }
}
