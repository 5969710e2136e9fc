namespace Helia.Cli.Http.Rpc;

/// <summary>The add flags this node honours (Kubo's names): cid-version, raw-leaves, chunker (size-N), hash, only-hash.</summary>
public sealed record RpcAddOptions
{
    public int? CidVersion { get; init; }

    public bool? RawLeaves { get; init; }

    public string? Chunker { get; init; }

    public string? Hash { get; init; }

    public bool OnlyHash { get; init; }
}
