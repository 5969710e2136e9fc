namespace Helia.Cli.Http.Rpc;

/// <summary>One connection in swarm peers: remote address, peer ID and Kubo's Direction (1 inbound, 2 outbound).</summary>
public sealed record RpcSwarmPeer(string Addr, string Peer, int Direction);
