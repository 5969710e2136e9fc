namespace Helia.Multiformats;

/// <summary>The multibase encodings we read and write (specs: multiformats/multibase/multibase.csv).</summary>
public enum MultibaseEncoding
{
    /// <summary>No encoding: prefix NUL, then one character per byte (U+0000 to U+00FF).</summary>
    Identity,
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
    Base36,
    Base36Upper,
    Base58Btc,
    Base58Flickr,
    Base64,
    Base64Pad,
    Base64Url,
    Base64UrlPad,
}
