namespace Helia.Libp2p;

/// <summary>
/// Called once per inbound stream for a registered protocol. The token fires when the connection closes or the host
/// stops. Returning disposes the stream; throwing resets it (and is logged).
/// </summary>
public delegate Task StreamHandler(IStream stream, CancellationToken cancellationToken);
