namespace Helia.Core.Car;

/// <summary>
/// The fixed 40-byte header after a CARv2's pragma: where its CARv1 data payload lies (offsets from the pragma's first
/// byte) and where its index starts (0: none). The characteristics bitfield is kept as read.
/// </summary>
public readonly record struct CarV2Header(UInt128 Characteristics, long DataOffset, long DataSize, long IndexOffset)
{
    /// <summary>The pragma's 11 bytes plus the 40-byte header: the smallest possible data offset.</summary>
    public const int PrefixLength = 51;
}
