namespace Helia.Multiformats;

/// <summary>The multibase encodings we read and write (specs: multiformats/multibase/multibase.csv).</summary>
public enum MultibaseEncoding
{
    /// <summary>No encoding: prefix NUL, then one character per byte (U+0000 to U+00FF).</summary>
    Identity,

    /// <summary>Binary: eight '0'/'1' characters per byte, most significant bit first.</summary>
    Base2,

    /// <summary>Octal: RFC 4648 style groups of three bits, unpadded.</summary>
    Base8,

    /// <summary>Decimal: the bytes as one big-endian number, a '0' per leading zero byte.</summary>
    Base10,
    Base16,
    Base16Upper,
    Base32,
    Base32Upper,
    Base32Pad,
    Base32PadUpper,
    Base32Hex,
    Base32HexUpper,
    Base32HexPad,
    Base32HexPadUpper,

    /// <summary>z-base-32 (Tahoe-LAFS's alphabet), unpadded.</summary>
    Base32Z,
    Base36,
    Base36Upper,
    Base58Btc,
    Base58Flickr,
    Base64,
    Base64Pad,
    Base64Url,
    Base64UrlPad,

    /// <summary>One emoji per byte; its prefix is U+1F680, two UTF-16 characters.</summary>
    Base256Emoji,
}
