namespace Helia.Bitswap.Messages;

/// <summary>
/// One Bitswap message: wantlist changes (or a full wantlist), blocks, block presences and the bytes still queued.
/// Decoded blocks own their bytes (one exact-size copy made while parsing); blocks to send are wrapped, not copied.
/// </summary>
public sealed class BitswapMessage
{
    public List<WantlistEntry> Wantlist { get; } = [];

    /// <summary>True when <see cref="Wantlist"/> replaces everything the peer asked for before.</summary>
    public bool FullWantlist { get; set; }

    public List<BitswapBlock> Blocks { get; } = [];

    public List<BlockPresence> BlockPresences { get; } = [];

    /// <summary>How many bytes the sender still has queued for the receiver (bitswap 1.2.0).</summary>
    public int PendingBytes { get; set; }

    /// <summary>Blocks that were dropped while decoding because they name a hash function we do not have.</summary>
    public int UnsupportedBlocks { get; set; }

    public bool IsEmpty => Wantlist.Count == 0 && !FullWantlist && Blocks.Count == 0 && BlockPresences.Count == 0 && PendingBytes == 0;
}
