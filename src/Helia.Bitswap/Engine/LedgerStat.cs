using Helia.Multiformats;

namespace Helia.Bitswap.Engine;

/// <summary>A snapshot of one peer's ledger (Kubo's <c>bitswap ledger</c>).</summary>
public sealed record LedgerStat(PeerId Peer, long BytesSent, long BytesReceived, long BlocksSent, long BlocksReceived, long MessagesReceived, int WantCount);
