using System.Text.Json.Serialization;

namespace Helia.Cli.Http.Rpc;

/// <summary>Kubo's id output: ID (base58btc peer ID), PublicKey (base64 protobuf key), Addresses, AgentVersion, Protocols.</summary>
public sealed record RpcIdentity(
    [property: JsonPropertyName("ID")] string Id,
    string PublicKey,
    IReadOnlyList<string> Addresses,
    string AgentVersion,
    IReadOnlyList<string> Protocols);
