namespace Helia.Cli.Http.Rpc;

/// <summary>
/// The add flags this node honours (Kubo's names): cid-version, raw-leaves, chunker (size-N or rabin), hash, only-hash, inline,
/// inline-limit, trickle, and profile (an IPIP-499 import profile the other flags override).
/// </summary>
public sealed record RpcAddOptions
{
    public int? CidVersion { get; init; }

    public bool? RawLeaves { get; init; }

    public string? Chunker { get; init; }

    public string? Hash { get; init; }

    public bool OnlyHash { get; init; }

    public string? Profile { get; init; }

    public bool Inline { get; init; }

    public int? InlineLimit { get; init; }

    public bool Trickle { get; init; }
}
