using Helia.Multiformats;

namespace Helia.UnixFS.Importer;

/// <summary>
/// How files and directories become a UnixFS DAG. The named profiles are IPIP-499's: <see cref="UnixFSV1_2025"/>
/// (the default), <see cref="UnixFSV0_2015"/> (Kubo's classic output) and <see cref="Helia"/> (@helia/unixfs defaults).
/// Adjust a profile with a copy: <c>ImporterOptions.UnixFSV0_2015 with { RawLeaves = true }</c>.
/// </summary>
public sealed record ImporterOptions
{
    public const int DefaultShardSplitThresholdBytes = 262_144;
    public const int HamtFanout = 256;
    public const int DefaultInlineLimit = 32;

    public static readonly ImporterOptions UnixFSV1_2025 = new()
    {
        Profile = "unixfs-v1-2025",
        CidVersion = 1,
        RawLeaves = true,
        Chunker = new FixedSizeChunker(1_048_576),
        MaxChildrenPerNode = 1024,
        ShardSplitStrategy = ShardSplitStrategy.BlockBytes,
    };

    public static readonly ImporterOptions UnixFSV0_2015 = new()
    {
        Profile = "unixfs-v0-2015",
        CidVersion = 0,
        RawLeaves = false,
        Chunker = new FixedSizeChunker(262_144),
        MaxChildrenPerNode = 174,
        ShardSplitStrategy = ShardSplitStrategy.LinksBytes,
    };

    public static readonly ImporterOptions Helia = UnixFSV1_2025 with
    {
        Profile = "helia",
        ShardSplitStrategy = ShardSplitStrategy.LinksBytes,
    };

    /// <summary>The profile these options started from (informational).</summary>
    public string Profile { get; init; } = "unixfs-v1-2025";

    /// <summary>0 or 1; raw leaves are always CIDv1.</summary>
    public int CidVersion { get; init; } = 1;

    public bool RawLeaves { get; init; } = true;

    public Multicodec HashFunction { get; init; } = Multicodec.Sha2_256;

    public Chunker Chunker { get; init; } = new FixedSizeChunker(1_048_576);

    public FileLayout Layout { get; init; } = FileLayout.Balanced;

    public int MaxChildrenPerNode { get; init; } = 1024;

    public ShardSplitStrategy ShardSplitStrategy { get; init; } = ShardSplitStrategy.BlockBytes;

    /// <summary>A directory whose estimated size is strictly greater than this becomes a HAMT.</summary>
    public int ShardSplitThresholdBytes { get; init; } = DefaultShardSplitThresholdBytes;

    /// <summary>Blocks of at most this many bytes get identity CIDs (Kubo's --inline); 0 turns inlining off.</summary>
    public int InlineLimit { get; init; }

    /// <summary>Compute CIDs without storing any block (Kubo's --only-hash).</summary>
    public bool OnlyHash { get; init; }

    /// <summary>Include names starting with '.' when importing from disk (Kubo's --hidden).</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>Store file and directory permission bits read from disk.</summary>
    public bool PreserveMode { get; init; }

    /// <summary>Store modification times read from disk.</summary>
    public bool PreserveMtime { get; init; }

    /// <summary>How many chunks are hashed (and stored) at once; 0 means twice the processor count.</summary>
    public int MaxParallelism { get; init; }

    /// <summary>Looks a profile up by its IPIP-499 name.</summary>
    public static ImporterOptions FromProfile(string name) => name switch
    {
        "unixfs-v1-2025" => UnixFSV1_2025,
        "unixfs-v0-2015" or "legacy-cid-v0" => UnixFSV0_2015,
        "helia" => Helia,
        _ => throw new ArgumentException($"Unknown import profile '{name}' (known: unixfs-v1-2025, unixfs-v0-2015, helia).", nameof(name)),
    };

    internal int EffectiveParallelism => MaxParallelism > 0 ? MaxParallelism : Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Throws <see cref="ArgumentException"/> for settings that cannot work together.</summary>
    public void Validate()
    {
        if (CidVersion is not (0 or 1))
        {
            throw new ArgumentException($"CID version {CidVersion} is not 0 or 1.");
        }

        if (CidVersion == 0 && HashFunction != Multicodec.Sha2_256)
        {
            throw new ArgumentException("CIDv0 requires sha2-256.");
        }

        if (MaxChildrenPerNode < 2)
        {
            throw new ArgumentException("MaxChildrenPerNode must be at least 2.");
        }

        if (InlineLimit is < 0 or > Multihash.MaxDigestLength)
        {
            throw new ArgumentException($"InlineLimit must be between 0 and {Multihash.MaxDigestLength}.");
        }

        ArgumentNullException.ThrowIfNull(Chunker);
        if (!Enum.IsDefined(Layout))
        {
            throw new ArgumentException($"Unknown layout {Layout}.");
        }

        _ = MultihashHashers.Get(HashFunction);
    }
}
