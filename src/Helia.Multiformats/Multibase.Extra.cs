using System.Buffers;
using System.Collections.Frozen;
using System.Numerics;
using System.Text;
using SimpleBase;

namespace Helia.Multiformats;

/// <summary>The draft and experimental bases Kubo also speaks: base2, base8, base10, base32z and base256emoji.</summary>
public static partial class Multibase
{
    /// <summary>
    /// The most base10 characters decoded: base10 is one big number, whose conversion costs grow
    /// with the square of its length, so unbounded input could stall the caller.
    /// </summary>
    public const int MaxBase10Length = 100_000;

    /// <summary>The most bytes base10 encodes: each byte takes up to log10(256) ≈ 2.41 digits, so these fit in <see cref="MaxBase10Length"/>.</summary>
    public const int MaxBase10Bytes = MaxBase10Length / 241 * 100;

    private static readonly SearchValues<char> s_base32Z = SearchValues.Create("ybndrfg8ejkmcpqxot1uwisza345h769");

    /// <summary>base256emoji's alphabet (specs: multibase/rfcs/Base256Emoji.md): the code point of each byte value.</summary>
    private static readonly int[] s_emoji =
    [
        0x1F680, 0x1FA90, 0x2604, 0x1F6F0, 0x1F30C, 0x1F311, 0x1F312, 0x1F313, 0x1F314, 0x1F315, 0x1F316, 0x1F317, 0x1F318, 0x1F30D, 0x1F30F, 0x1F30E,
        0x1F409, 0x2600, 0x1F4BB, 0x1F5A5, 0x1F4BE, 0x1F4BF, 0x1F602, 0x2764, 0x1F60D, 0x1F923, 0x1F60A, 0x1F64F, 0x1F495, 0x1F62D, 0x1F618, 0x1F44D,
        0x1F605, 0x1F44F, 0x1F601, 0x1F525, 0x1F970, 0x1F494, 0x1F496, 0x1F499, 0x1F622, 0x1F914, 0x1F606, 0x1F644, 0x1F4AA, 0x1F609, 0x263A, 0x1F44C,
        0x1F917, 0x1F49C, 0x1F614, 0x1F60E, 0x1F607, 0x1F339, 0x1F926, 0x1F389, 0x1F49E, 0x270C, 0x2728, 0x1F937, 0x1F631, 0x1F60C, 0x1F338, 0x1F64C,
        0x1F60B, 0x1F497, 0x1F49A, 0x1F60F, 0x1F49B, 0x1F642, 0x1F493, 0x1F929, 0x1F604, 0x1F600, 0x1F5A4, 0x1F603, 0x1F4AF, 0x1F648, 0x1F447, 0x1F3B6,
        0x1F612, 0x1F92D, 0x2763, 0x1F61C, 0x1F48B, 0x1F440, 0x1F62A, 0x1F611, 0x1F4A5, 0x1F64B, 0x1F61E, 0x1F629, 0x1F621, 0x1F92A, 0x1F44A, 0x1F973,
        0x1F625, 0x1F924, 0x1F449, 0x1F483, 0x1F633, 0x270B, 0x1F61A, 0x1F61D, 0x1F634, 0x1F31F, 0x1F62C, 0x1F643, 0x1F340, 0x1F337, 0x1F63B, 0x1F613,
        0x2B50, 0x2705, 0x1F97A, 0x1F308, 0x1F608, 0x1F918, 0x1F4A6, 0x2714, 0x1F623, 0x1F3C3, 0x1F490, 0x2639, 0x1F38A, 0x1F498, 0x1F620, 0x261D,
        0x1F615, 0x1F33A, 0x1F382, 0x1F33B, 0x1F610, 0x1F595, 0x1F49D, 0x1F64A, 0x1F639, 0x1F5E3, 0x1F4AB, 0x1F480, 0x1F451, 0x1F3B5, 0x1F91E, 0x1F61B,
        0x1F534, 0x1F624, 0x1F33C, 0x1F62B, 0x26BD, 0x1F919, 0x2615, 0x1F3C6, 0x1F92B, 0x1F448, 0x1F62E, 0x1F646, 0x1F37B, 0x1F343, 0x1F436, 0x1F481,
        0x1F632, 0x1F33F, 0x1F9E1, 0x1F381, 0x26A1, 0x1F31E, 0x1F388, 0x274C, 0x270A, 0x1F44B, 0x1F630, 0x1F928, 0x1F636, 0x1F91D, 0x1F6B6, 0x1F4B0,
        0x1F353, 0x1F4A2, 0x1F91F, 0x1F641, 0x1F6A8, 0x1F4A8, 0x1F92C, 0x2708, 0x1F380, 0x1F37A, 0x1F913, 0x1F619, 0x1F49F, 0x1F331, 0x1F616, 0x1F476,
        0x1F974, 0x25B6, 0x27A1, 0x2753, 0x1F48E, 0x1F4B8, 0x2B07, 0x1F628, 0x1F31A, 0x1F98B, 0x1F637, 0x1F57A, 0x26A0, 0x1F645, 0x1F61F, 0x1F635,
        0x1F44E, 0x1F932, 0x1F920, 0x1F927, 0x1F4CC, 0x1F535, 0x1F485, 0x1F9D0, 0x1F43E, 0x1F352, 0x1F617, 0x1F911, 0x1F30A, 0x1F92F, 0x1F437, 0x260E,
        0x1F4A7, 0x1F62F, 0x1F486, 0x1F446, 0x1F3A4, 0x1F647, 0x1F351, 0x2744, 0x1F334, 0x1F4A3, 0x1F438, 0x1F48C, 0x1F4CD, 0x1F940, 0x1F922, 0x1F445,
        0x1F4A1, 0x1F4A9, 0x1F450, 0x1F4F8, 0x1F47B, 0x1F910, 0x1F92E, 0x1F3BC, 0x1F975, 0x1F6A9, 0x1F34E, 0x1F34A, 0x1F47C, 0x1F48D, 0x1F4E3, 0x1F942,
    ];

    private static readonly string[] s_emojiText = [.. s_emoji.Select(char.ConvertFromUtf32)];

    private static readonly FrozenDictionary<int, byte> s_emojiBytes =
        s_emoji.Select((codePoint, value) => KeyValuePair.Create(codePoint, (byte)value)).ToFrozenDictionary();

    private static string EncodeBase2(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 8);
        foreach (byte b in bytes)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                text.Append((b >> bit & 1) == 0 ? '0' : '1');
            }
        }

        return text.ToString();
    }

    /// <summary>Canonical text is 8 characters per byte; shorter text is left-padded with '0', as the spec allows.</summary>
    private static byte[] DecodeBase2(ReadOnlySpan<char> text)
    {
        int bad = text.IndexOfAnyExcept('0', '1');
        if (bad >= 0)
        {
            throw new MultibaseException($"{Describe(text[bad])} at position {bad} is not a base2 character.");
        }

        int padding = (8 - text.Length % 8) % 8;
        byte[] bytes = new byte[(text.Length + padding) / 8];
        for (int i = 0; i < text.Length; i++)
        {
            int bit = i + padding;
            if (text[i] == '1')
            {
                bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }

        return bytes;
    }

    private static string EncodeBase8(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder((bytes.Length * 8 + 2) / 3);
        int buffer = 0;
        int bits = 0;
        foreach (byte b in bytes)
        {
            buffer = buffer << 8 | b;
            bits += 8;
            while (bits >= 3)
            {
                bits -= 3;
                text.Append((char)('0' + (buffer >> bits & 7)));
            }

            buffer &= (1 << bits) - 1;
        }

        if (bits > 0)
        {
            text.Append((char)('0' + (buffer << (3 - bits) & 7)));   // the missing low bits are zero
        }

        return text.ToString();
    }

    /// <summary>Three bits per character; a last incomplete byte is dropped, as the spec says.</summary>
    private static byte[] DecodeBase8(ReadOnlySpan<char> text)
    {
        int bad = text.IndexOfAnyExceptInRange('0', '7');
        if (bad >= 0)
        {
            throw new MultibaseException($"{Describe(text[bad])} at position {bad} is not a base8 character.");
        }

        byte[] bytes = new byte[(int)((long)text.Length * 3 / 8)];
        int buffer = 0;
        int bits = 0;
        int written = 0;
        foreach (char c in text)
        {
            buffer = buffer << 3 | (c - '0');
            bits += 3;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[written++] = (byte)(buffer >> bits);   // floor(3n/8) bytes: exactly one per 8 bits gathered

                buffer &= (1 << bits) - 1;
            }
        }

        return bytes;
    }

    /// <summary>The bytes as one big-endian number in decimal, after a '0' for each leading zero byte.</summary>
    private static string EncodeBase10(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBase10Bytes)
        {
            throw new MultibaseException($"base10 encodes at most {MaxBase10Bytes} bytes, not {bytes.Length}.");
        }

        int zeros = bytes.IndexOfAnyExcept((byte)0);
        if (zeros < 0)
        {
            return new string('0', bytes.Length);
        }

        var number = new BigInteger(bytes[zeros..], isUnsigned: true, isBigEndian: true);
        return string.Concat(new string('0', zeros), number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static byte[] DecodeBase10(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxBase10Length)
        {
            throw new MultibaseException($"base10 text is limited to {MaxBase10Length} characters, not {text.Length}.");
        }

        int bad = text.IndexOfAnyExceptInRange('0', '9');
        if (bad >= 0)
        {
            throw new MultibaseException($"{Describe(text[bad])} at position {bad} is not a base10 character.");
        }

        int zeros = text.IndexOfAnyExcept('0');
        if (zeros < 0)
        {
            return new byte[text.Length];
        }

        BigInteger number = BigInteger.Parse(text[zeros..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
        int length = number.GetByteCount(isUnsigned: true);
        byte[] bytes = new byte[zeros + length];
        number.TryWriteBytes(bytes.AsSpan(zeros), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static byte[] DecodeBase32Z(ReadOnlySpan<char> text)
    {
        CheckAlphabet(text, s_base32Z, MultibaseEncoding.Base32Z);
        if ((text.Length % 8) is 1 or 3 or 6)
        {
            throw new MultibaseException($"{text.Length} base32z characters cannot encode whole bytes.");
        }

        return Base32.ZBase32.Decode(text);
    }

    private static string EncodeBase256Emoji(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            text.Append(s_emojiText[b]);
        }

        return text.ToString();
    }

    private static byte[] DecodeBase256Emoji(ReadOnlySpan<char> text)
    {
        var bytes = new List<byte>(text.Length / 2);
        int position = 0;
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(text, out Rune rune, out int used) != OperationStatus.Done)
            {
                throw new MultibaseException($"The base256emoji text has an unpaired surrogate at position {position}.");
            }

            if (!s_emojiBytes.TryGetValue(rune.Value, out byte value))
            {
                throw new MultibaseException($"U+{rune.Value:X4} at position {position} is not a base256emoji character.");
            }

            bytes.Add(value);
            text = text[used..];
            position += used;
        }

        return [.. bytes];
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c > '\u007e' ? $"U+{(int)c:X4}" : $"'{c}'";
}
