namespace Helia.Core.Blocks;

public sealed class FlatFsBlockstoreOptions
{
    /// <summary>Kubo's own limit for a block put locally without --allow-big-block is 1 MiB; we read up to 4 MiB.</summary>
    public const int DefaultMaxBlockSize = 4 * 1024 * 1024;

    /// <summary>Flush each block file to disk before it is renamed into place (Kubo's flatfs "sync": true).</summary>
    public bool Sync { get; init; } = true;

    /// <summary>Hash every block read against its CID; a mismatch is logged and the block treated as missing.</summary>
    public bool VerifyOnRead { get; init; } = true;

    /// <summary>Larger files are refused on write and treated as corrupt on read.</summary>
    public int MaxBlockSize { get; init; } = DefaultMaxBlockSize;

    public void Validate()
    {
        if (MaxBlockSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBlockSize), MaxBlockSize, "The largest block must be positive.");
        }
    }
}
