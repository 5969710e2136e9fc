using Helia.Bitswap.Sessions;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Bitswap;

/// <summary>
/// Bitswap as a block broker for <see cref="NetworkedBlockstore"/>. Each retrieval runs as a one-block session (want-have
/// broadcast, want-block to a peer that has it, content routing when nobody does); <see cref="CreateSession"/> keeps
/// the peers that had the root for a whole DAG. Blocks are verified against their CIDs by the client.
/// </summary>
public sealed class BitswapBlockBroker(BitswapService service) : IBlockBroker
{
    public string Name => "bitswap";

    public async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        BitswapSession session = service.CreateSession();
        return await session.WantAsync(cid, options.Providers, cancellationToken);
    }

    public ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken)
    {
        service.NotifyNewBlock(cid);
        return ValueTask.CompletedTask;
    }

    public IBlockBroker? CreateSession(Cid root, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SessionBroker(service, service.CreateSession(options.MaxProviders), options.Providers);
    }

    private sealed class SessionBroker(BitswapService service, BitswapSession session, IReadOnlyList<PeerInfo> providers) : IBlockBroker
    {
        public string Name => "bitswap-session";

        public async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(options);
            IReadOnlyList<PeerInfo> asked = options.Providers.Count == 0 ? providers : [.. providers, .. options.Providers];
            return await session.WantAsync(cid, asked, cancellationToken);
        }

        public ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken)
        {
            service.NotifyNewBlock(cid);
            return ValueTask.CompletedTask;
        }

        public IBlockBroker? CreateSession(Cid root, SessionOptions options) => null;
    }
}
