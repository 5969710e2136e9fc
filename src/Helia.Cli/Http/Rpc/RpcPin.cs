using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>One pin: its CID, type ("recursive", "direct", "indirect") and optional name.</summary>
public sealed record RpcPin(Cid Cid, string Type, string Name = "");
