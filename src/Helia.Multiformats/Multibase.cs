using System.Buffers;
using System.Buffers.Text;
using System.Text;
using SimpleBase;

namespace Helia.Multiformats;

/// <summary>
/// Multibase (specs: multiformats/multibase): a one-character prefix naming the encoding, then the encoded bytes.
/// Hex and base64 come from .NET's <see cref="Convert"/>, the other base-N arithmetic from SimpleBase; this class adds
/// the prefixes, names and strict decoding: characters outside the alphabet, misplaced padding and impossible
/// lengths raise <see cref="MultibaseException"/>. The case-insensitive encodings (base16, base32*, base36) decode
/// text in either case, as the spec's case_insensitivity vectors require.
/// </summary>
public static partial class Multibase
{
    private static readonly SearchValues<char> s_hex = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> s_base32 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz234567");
    private static readonly SearchValues<char> s_base32Hex = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVabcdefghijklmnopqrstuv");
    private static readonly SearchValues<char> s_base36 = SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static readonly SearchValues<char> s_base58Btc = SearchValues.Create("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz");
    private static readonly SearchValues<char> s_base58Flickr = SearchValues.Create("123456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ");
    private static readonly SearchValues<char> s_base64 = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static readonly SearchValues<char> s_base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly MultibaseEncoding[] s_all = Enum.GetValues<MultibaseEncoding>();

    /// <summary>Every encoding we support, in declaration order.</summary>
    public static IReadOnlyList<MultibaseEncoding> All => s_all;

    /// <summary>Encodes <paramref name="bytes"/> with its prefix.</summary>
    public static string Encode(MultibaseEncoding encoding, ReadOnlySpan<byte> bytes) =>
        string.Concat(PrefixOf(encoding), EncodeWithoutPrefix(encoding, bytes));

    /// <summary>Encodes <paramref name="bytes"/> without the prefix character.</summary>
    public static string EncodeWithoutPrefix(MultibaseEncoding encoding, ReadOnlySpan<byte> bytes) => encoding switch
    {
        MultibaseEncoding.Identity => Encoding.Latin1.GetString(bytes),
        MultibaseEncoding.Base2 => EncodeBase2(bytes),
        MultibaseEncoding.Base8 => EncodeBase8(bytes),
        MultibaseEncoding.Base10 => EncodeBase10(bytes),
        MultibaseEncoding.Base16 => Convert.ToHexStringLower(bytes),
        MultibaseEncoding.Base16Upper => Convert.ToHexString(bytes),
        MultibaseEncoding.Base32 => Base32.Rfc4648.Encode(bytes, padding: false).ToLowerInvariant(),
        MultibaseEncoding.Base32Upper => Base32.Rfc4648.Encode(bytes, padding: false),
        MultibaseEncoding.Base32Pad => Base32.Rfc4648.Encode(bytes, padding: true).ToLowerInvariant(),
        MultibaseEncoding.Base32PadUpper => Base32.Rfc4648.Encode(bytes, padding: true),
        MultibaseEncoding.Base32Hex => Base32.ExtendedHex.Encode(bytes, padding: false).ToLowerInvariant(),
        MultibaseEncoding.Base32HexUpper => Base32.ExtendedHex.Encode(bytes, padding: false),
        MultibaseEncoding.Base32HexPad => Base32.ExtendedHex.Encode(bytes, padding: true).ToLowerInvariant(),
        MultibaseEncoding.Base32HexPadUpper => Base32.ExtendedHex.Encode(bytes, padding: true),
        MultibaseEncoding.Base32Z => Base32.ZBase32.Encode(bytes, padding: false),
        MultibaseEncoding.Base36 => Base36.LowerCase.Encode(bytes),
        MultibaseEncoding.Base36Upper => Base36.UpperCase.Encode(bytes),
        MultibaseEncoding.Base58Btc => Base58.Bitcoin.Encode(bytes),
        MultibaseEncoding.Base58Flickr => Base58.Flickr.Encode(bytes),
        MultibaseEncoding.Base64 => Convert.ToBase64String(bytes).TrimEnd('='),
        MultibaseEncoding.Base64Pad => Convert.ToBase64String(bytes),
        MultibaseEncoding.Base64Url => Base64Url.EncodeToString(bytes),
        MultibaseEncoding.Base64UrlPad => PadBase64(Base64Url.EncodeToString(bytes)),
        MultibaseEncoding.Base256Emoji => EncodeBase256Emoji(bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a multibase encoding."),
    };

    /// <summary>Decodes a multibase string; throws <see cref="MultibaseException"/> for an unknown prefix or bad characters.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, out MultibaseEncoding encoding)
    {
        if (text.IsEmpty)
        {
            throw new MultibaseException("An empty string has no multibase prefix.");
        }

        if (!TryGetEncoding(text, out encoding))
        {
            Rune first = Rune.DecodeFromUtf16(text, out Rune rune, out _) == OperationStatus.Done ? rune : Rune.ReplacementChar;
            throw new MultibaseException(Rune.IsControl(first) || first.Value > 0x7E || first == Rune.ReplacementChar
                ? $"Unknown multibase prefix U+{first.Value:X4}."
                : $"Unknown multibase prefix '{first}'.");
        }

        return DecodeWithoutPrefix(encoding, text[PrefixOf(encoding).Length..]);
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
                MultibaseEncoding.Identity => DecodeIdentity(text),
                MultibaseEncoding.Base2 => DecodeBase2(text),
                MultibaseEncoding.Base8 => DecodeBase8(text),
                MultibaseEncoding.Base10 => DecodeBase10(text),
                MultibaseEncoding.Base16 or MultibaseEncoding.Base16Upper => DecodeBase16(text),
                MultibaseEncoding.Base32 or MultibaseEncoding.Base32Upper => DecodeBase32(text, Base32.Rfc4648, s_base32, padded: false, encoding),
                MultibaseEncoding.Base32Pad or MultibaseEncoding.Base32PadUpper => DecodeBase32(text, Base32.Rfc4648, s_base32, padded: true, encoding),
                MultibaseEncoding.Base32Hex or MultibaseEncoding.Base32HexUpper => DecodeBase32(text, Base32.ExtendedHex, s_base32Hex, padded: false, encoding),
                MultibaseEncoding.Base32HexPad or MultibaseEncoding.Base32HexPadUpper => DecodeBase32(text, Base32.ExtendedHex, s_base32Hex, padded: true, encoding),
                MultibaseEncoding.Base32Z => DecodeBase32Z(text),
                MultibaseEncoding.Base36 or MultibaseEncoding.Base36Upper => DecodeBase36(text, encoding),
                MultibaseEncoding.Base58Btc => Base58.Bitcoin.Decode(CheckAlphabet(text, s_base58Btc, encoding)),
                MultibaseEncoding.Base58Flickr => Base58.Flickr.Decode(CheckAlphabet(text, s_base58Flickr, encoding)),
                MultibaseEncoding.Base64 => DecodeBase64(text, s_base64, padded: false, encoding),
                MultibaseEncoding.Base64Pad => DecodeBase64(text, s_base64, padded: true, encoding),
                MultibaseEncoding.Base64Url => DecodeBase64(text, s_base64Url, padded: false, encoding),
                MultibaseEncoding.Base64UrlPad => DecodeBase64(text, s_base64Url, padded: true, encoding),
                MultibaseEncoding.Base256Emoji => DecodeBase256Emoji(text),
                _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a multibase encoding."),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or (ArgumentException and not ArgumentOutOfRangeException)
            && ex is not MultibaseException)
        {
            throw new MultibaseException($"The text is not valid {NameOf(encoding)}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The prefix of an encoding: one character, except base256emoji's U+1F680, which is two UTF-16 characters (a
    /// surrogate pair).
    /// </summary>
    public static string PrefixOf(MultibaseEncoding encoding) => encoding switch
    {
        MultibaseEncoding.Identity => "\0",
        MultibaseEncoding.Base2 => "0",
        MultibaseEncoding.Base8 => "7",
        MultibaseEncoding.Base10 => "9",
        MultibaseEncoding.Base16 => "f",
        MultibaseEncoding.Base16Upper => "F",
        MultibaseEncoding.Base32 => "b",
        MultibaseEncoding.Base32Upper => "B",
        MultibaseEncoding.Base32Pad => "c",
        MultibaseEncoding.Base32PadUpper => "C",
        MultibaseEncoding.Base32Hex => "v",
        MultibaseEncoding.Base32HexUpper => "V",
        MultibaseEncoding.Base32HexPad => "t",
        MultibaseEncoding.Base32HexPadUpper => "T",
        MultibaseEncoding.Base32Z => "h",
        MultibaseEncoding.Base36 => "k",
        MultibaseEncoding.Base36Upper => "K",
        MultibaseEncoding.Base58Btc => "z",
        MultibaseEncoding.Base58Flickr => "Z",
        MultibaseEncoding.Base64 => "m",
        MultibaseEncoding.Base64Pad => "M",
        MultibaseEncoding.Base64Url => "u",
        MultibaseEncoding.Base64UrlPad => "U",
        MultibaseEncoding.Base256Emoji => "\U0001F680",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a multibase encoding."),
    };

    /// <summary>The prefix's Unicode code point, the "numeric code" Kubo's <c>cid bases --numeric</c> prints.</summary>
    public static int CodeOf(MultibaseEncoding encoding) => Rune.GetRuneAt(PrefixOf(encoding), 0).Value;

    /// <summary>The spec's name of an encoding, e.g. "base32" or "base58btc".</summary>
    public static string NameOf(MultibaseEncoding encoding) => encoding switch
    {
        MultibaseEncoding.Identity => "identity",
        MultibaseEncoding.Base2 => "base2",
        MultibaseEncoding.Base8 => "base8",
        MultibaseEncoding.Base10 => "base10",
        MultibaseEncoding.Base16 => "base16",
        MultibaseEncoding.Base16Upper => "base16upper",
        MultibaseEncoding.Base32 => "base32",
        MultibaseEncoding.Base32Upper => "base32upper",
        MultibaseEncoding.Base32Pad => "base32pad",
        MultibaseEncoding.Base32PadUpper => "base32padupper",
        MultibaseEncoding.Base32Hex => "base32hex",
        MultibaseEncoding.Base32HexUpper => "base32hexupper",
        MultibaseEncoding.Base32HexPad => "base32hexpad",
        MultibaseEncoding.Base32HexPadUpper => "base32hexpadupper",
        MultibaseEncoding.Base32Z => "base32z",
        MultibaseEncoding.Base36 => "base36",
        MultibaseEncoding.Base36Upper => "base36upper",
        MultibaseEncoding.Base58Btc => "base58btc",
        MultibaseEncoding.Base58Flickr => "base58flickr",
        MultibaseEncoding.Base64 => "base64",
        MultibaseEncoding.Base64Pad => "base64pad",
        MultibaseEncoding.Base64Url => "base64url",
        MultibaseEncoding.Base64UrlPad => "base64urlpad",
        MultibaseEncoding.Base256Emoji => "base256emoji",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a multibase encoding."),
    };

    /// <summary>
    /// The encoding with this spec name (e.g. "base32"), or a one-character prefix (e.g. "b"), as Kubo's
    /// <c>-b</c> flags accept both.
    /// </summary>
    public static bool TryParseName(ReadOnlySpan<char> nameOrPrefix, out MultibaseEncoding encoding)
    {
        foreach (MultibaseEncoding candidate in s_all)
        {
            if (nameOrPrefix.Equals(NameOf(candidate), StringComparison.Ordinal))
            {
                encoding = candidate;
                return true;
            }
        }

        if (TryGetEncoding(nameOrPrefix, out encoding) && PrefixOf(encoding).Length == nameOrPrefix.Length)
        {
            return true;
        }

        encoding = default;
        return false;
    }

    /// <summary>The encoding a one-character prefix names (every prefix but base256emoji's).</summary>
    public static bool TryGetEncoding(char prefix, out MultibaseEncoding encoding) =>
        TryGetEncoding(new ReadOnlySpan<char>(in prefix), out encoding);

    /// <summary>The encoding whose prefix <paramref name="text"/> starts with.</summary>
    public static bool TryGetEncoding(ReadOnlySpan<char> text, out MultibaseEncoding encoding)
    {
        foreach (MultibaseEncoding candidate in s_all)
        {
            if (text.StartsWith(PrefixOf(candidate), StringComparison.Ordinal))
            {
                encoding = candidate;
                return true;
            }
        }

        encoding = default;
        return false;
    }

    private static ReadOnlySpan<char> CheckAlphabet(ReadOnlySpan<char> text, SearchValues<char> alphabet, MultibaseEncoding encoding)
    {
        int bad = text.IndexOfAnyExcept(alphabet);
        if (bad >= 0)
        {
            throw new MultibaseException(char.IsControl(text[bad]) || char.IsSurrogate(text[bad])
                ? $"U+{(int)text[bad]:X4} at position {bad} is not a {NameOf(encoding)} character."
                : $"'{text[bad]}' at position {bad} is not a {NameOf(encoding)} character.");
        }

        return text;
    }

    private static byte[] DecodeIdentity(ReadOnlySpan<char> text)
    {
        int bad = text.IndexOfAnyExceptInRange('\0', '\u00ff');
        return bad < 0
            ? Encoding.Latin1.GetBytes(text.ToArray())
            : throw new MultibaseException($"Identity multibase text holds one byte per character; U+{(int)text[bad]:X4} at position {bad} is not a byte.");
    }

    private static byte[] DecodeBase16(ReadOnlySpan<char> text)
    {
        if (text.Length % 2 != 0)
        {
            throw new MultibaseException($"Base16 text has an even number of characters, not {text.Length}.");
        }

        return Convert.FromHexString(CheckAlphabet(text, s_hex, MultibaseEncoding.Base16));
    }

    private static byte[] DecodeBase32(ReadOnlySpan<char> text, Base32 codec, SearchValues<char> alphabet, bool padded, MultibaseEncoding encoding)
    {
        ReadOnlySpan<char> body = text;
        if (padded)
        {
            body = text.TrimEnd('=');
            int padding = text.Length - body.Length;
            if (text.Length % 8 != 0 || padding is not (0 or 1 or 3 or 4 or 6))
            {
                throw new MultibaseException($"Padded {NameOf(encoding)} must be whole groups of 8 characters with 0, 1, 3, 4 or 6 '='.");
            }
        }

        CheckAlphabet(body, alphabet, encoding);
        if ((body.Length % 8) is 1 or 3 or 6)
        {
            throw new MultibaseException($"{body.Length} {NameOf(encoding)} characters cannot encode whole bytes.");
        }

        char[]? rented = null;
        Span<char> upper = body.Length <= 256 ? stackalloc char[body.Length] : (rented = ArrayPool<char>.Shared.Rent(body.Length)).AsSpan(0, body.Length);
        try
        {
            body.ToUpperInvariant(upper);
            return codec.Decode(upper);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static byte[] DecodeBase36(ReadOnlySpan<char> text, MultibaseEncoding encoding)
    {
        CheckAlphabet(text, s_base36, encoding);
        char[]? rented = null;
        Span<char> lower = text.Length <= 256 ? stackalloc char[text.Length] : (rented = ArrayPool<char>.Shared.Rent(text.Length)).AsSpan(0, text.Length);
        try
        {
            text.ToLowerInvariant(lower);
            return Base36.LowerCase.Decode(lower);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static byte[] DecodeBase64(ReadOnlySpan<char> text, SearchValues<char> alphabet, bool padded, MultibaseEncoding encoding)
    {
        ReadOnlySpan<char> body = text;
        if (padded)
        {
            body = text.TrimEnd('=');
            if (text.Length % 4 != 0 || text.Length - body.Length > 2)
            {
                throw new MultibaseException($"Padded {NameOf(encoding)} must be whole groups of 4 characters with at most two '='.");
            }
        }

        CheckAlphabet(body, alphabet, encoding);
        if (body.Length % 4 == 1)
        {
            throw new MultibaseException($"{body.Length} {NameOf(encoding)} characters cannot encode whole bytes.");
        }

        // Both alphabets decode through the standard one, padded, so .NET's checks apply to all four.
        int length = (body.Length + 3) / 4 * 4;
        char[] standard = ArrayPool<char>.Shared.Rent(Math.Max(length, 1));
        try
        {
            Span<char> chars = standard.AsSpan(0, length);
            body.CopyTo(chars);
            chars[body.Length..].Fill('=');
            chars[..body.Length].Replace('-', '+');
            chars[..body.Length].Replace('_', '/');
            return Convert.FromBase64CharArray(standard, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(standard);
        }
    }

    private static string PadBase64(string unpadded) =>
        (unpadded.Length % 4) switch
        {
            2 => unpadded + "==",
            3 => unpadded + "=",
            _ => unpadded,
        };
}
