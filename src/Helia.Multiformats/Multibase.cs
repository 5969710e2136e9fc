using SimpleBase;

namespace Helia.Multiformats;

/// <summary>
/// Multibase (specs: multiformats/multibase): a one-character prefix naming the encoding, then the encoded bytes.
/// The base-N arithmetic comes from SimpleBase; this class adds the prefixes, names and strict decoding.
/// </summary>
public static class Multibase
{
    /// <summary>Encodes <paramref name="bytes"/> with its prefix.</summary>
    public static string Encode(MultibaseEncoding encoding, ReadOnlySpan<byte> bytes) =>
        PrefixOf(encoding) + EncodeWithoutPrefix(encoding, bytes);

    /// <summary>Encodes <paramref name="bytes"/> without the prefix character.</summary>
    public static string EncodeWithoutPrefix(MultibaseEncoding encoding, ReadOnlySpan<byte> bytes) => encoding switch
    {
        MultibaseEncoding.Base16 => Base16.LowerCase.Encode(bytes),
        MultibaseEncoding.Base16Upper => Base16.UpperCase.Encode(bytes),
        MultibaseEncoding.Base32 => Base32.Rfc4648.Encode(bytes, padding: false).ToLowerInvariant(),
        MultibaseEncoding.Base32Upper => Base32.Rfc4648.Encode(bytes, padding: false),
        MultibaseEncoding.Base36 => Base36.LowerCase.Encode(bytes),
        MultibaseEncoding.Base36Upper => Base36.UpperCase.Encode(bytes),
        MultibaseEncoding.Base58Btc => Base58.Bitcoin.Encode(bytes),
        _ => throw new NotSupportedException($"Multibase {encoding} is not supported yet."),
    };

    /// <summary>Decodes a multibase string; throws <see cref="MultibaseException"/> for an unknown prefix or bad characters.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, out MultibaseEncoding encoding)
    {
        if (text.IsEmpty)
        {
            throw new MultibaseException("An empty string has no multibase prefix.");
        }

        if (!TryGetEncoding(text[0], out encoding))
        {
            throw new MultibaseException($"Unknown multibase prefix '{text[0]}'.");
        }

        return DecodeWithoutPrefix(encoding, text[1..]);
    }

    /// <inheritdoc cref="Decode(ReadOnlySpan{char}, out MultibaseEncoding)"/>
    public static byte[] Decode(ReadOnlySpan<char> text) => Decode(text, out _);

    /// <summary>Decodes text in a known encoding that carries no prefix.</summary>
    public static byte[] DecodeWithoutPrefix(MultibaseEncoding encoding, ReadOnlySpan<char> text)
    {
        try
        {
            return encoding switch
            {
                MultibaseEncoding.Base16 => Base16.LowerCase.Decode(text),
                MultibaseEncoding.Base16Upper => Base16.UpperCase.Decode(text),
                MultibaseEncoding.Base32 or MultibaseEncoding.Base32Upper => DecodeBase32(text),
                MultibaseEncoding.Base36 or MultibaseEncoding.Base36Upper => Base36.LowerCase.Decode(text.ToString().ToLowerInvariant()),
                MultibaseEncoding.Base58Btc => Base58.Bitcoin.Decode(text),
                _ => throw new NotSupportedException($"Multibase {encoding} is not supported yet."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException && ex is not MultibaseException)
        {
            throw new MultibaseException($"The text is not valid {encoding}: {ex.Message}", ex);
        }
    }

    /// <summary>The prefix character of an encoding.</summary>
    public static char PrefixOf(MultibaseEncoding encoding) => encoding switch
    {
        MultibaseEncoding.Identity => '\0',
        MultibaseEncoding.Base16 => 'f',
        MultibaseEncoding.Base16Upper => 'F',
        MultibaseEncoding.Base32 => 'b',
        MultibaseEncoding.Base32Upper => 'B',
        MultibaseEncoding.Base32Pad => 'c',
        MultibaseEncoding.Base32PadUpper => 'C',
        MultibaseEncoding.Base32Hex => 'v',
        MultibaseEncoding.Base32HexUpper => 'V',
        MultibaseEncoding.Base36 => 'k',
        MultibaseEncoding.Base36Upper => 'K',
        MultibaseEncoding.Base58Btc => 'z',
        MultibaseEncoding.Base58Flickr => 'Z',
        MultibaseEncoding.Base64 => 'm',
        MultibaseEncoding.Base64Pad => 'M',
        MultibaseEncoding.Base64Url => 'u',
        MultibaseEncoding.Base64UrlPad => 'U',
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    /// <summary>The encoding a prefix character names.</summary>
    public static bool TryGetEncoding(char prefix, out MultibaseEncoding encoding)
    {
        foreach (MultibaseEncoding candidate in Enum.GetValues<MultibaseEncoding>())
        {
            if (PrefixOf(candidate) == prefix)
            {
                encoding = candidate;
                return true;
            }
        }

        encoding = default;
        return false;
    }

    private static byte[] DecodeBase32(ReadOnlySpan<char> text)
    {
        // RFC 4648 alphabet without padding; multibase's base32 is case-insensitive within one string's case.
        Span<char> upper = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        text.ToUpperInvariant(upper);
        if (upper.Contains('='))
        {
            throw new MultibaseException("Unpadded base32 must not contain '='.");
        }

        return Base32.Rfc4648.Decode(upper);
    }
}
