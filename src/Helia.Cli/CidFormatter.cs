using System.Globalization;
using System.Text;
using Helia.Multiformats;

namespace Helia.Cli;

/// <summary>
/// Kubo's `ipfs cid format -f` format strings (go-cidutil's Format): %s the CID in the chosen base, %P its prefix,
/// %c/%C codec name/code, %h/%H hash name/code, %L digest length, %m/%M and %d/%D multihash and digest in the base
/// with/without prefix, %S the CID without prefix, %b/%B base name/prefix, %v/%V version, %% a percent sign.
/// </summary>
internal static class CidFormatter
{
    public const string Help = """
        Format string specifiers:
           %% literal %
           %b multibase name
           %B multibase code
           %v version string
           %V version number
           %c codec name
           %C codec code
           %h multihash name
           %H multihash code
           %L hash digest length
           %m multihash encoded in base %b (with multibase prefix)
           %M multihash encoded in base %b without multibase prefix
           %d hash digest encoded in base %b (with multibase prefix)
           %D hash digest encoded in base %b without multibase prefix
           %s cid string encoded in base %b (1)
           %S cid string encoded in base %b without multibase prefix
           %P cid prefix: %v-%c-%h-%L

        (1) For CID version 0 the multibase must be base58btc and no prefix is used.
            For CID version 1 the multibase prefix is included.
        """;

    /// <summary>Throws <see cref="CliUsageException"/> for a malformed format string (fatal for the whole command, as in Kubo).</summary>
    public static void Validate(string format)
    {
        if (!format.Contains('%', StringComparison.Ordinal))
        {
            throw new CliUsageException($"invalid format string: \"{format}\"");
        }

        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                continue;
            }

            if (++i >= format.Length)
            {
                throw new CliUsageException("premature end of format string");
            }

            if (!"%bBvVcChHLmMdDsSP".Contains(format[i], StringComparison.Ordinal))
            {
                throw new CliUsageException($"unrecognized specifier in format string: %{format[i]}");
            }
        }
    }

    /// <summary>Formats <paramref name="cid"/>; a CIDv0 asked for in another base than base58btc throws <see cref="CidFormatException"/>.</summary>
    public static string Format(string format, MultibaseEncoding encoding, Cid cid)
    {
        Validate(format);
        var output = new StringBuilder();
        Multihash hash = cid.Hash;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                output.Append(format[i]);
                continue;
            }

            i++;
            switch (format[i])
            {
                case '%':
                    output.Append('%');
                    break;
                case 'b':
                    output.Append(Multibase.NameOf(encoding));
                    break;
                case 'B':
                    output.Append(Multibase.PrefixOf(encoding));
                    break;
                case 'v':
                    output.Append(CultureInfo.InvariantCulture, $"cidv{cid.Version}");
                    break;
                case 'V':
                    output.Append(cid.Version);
                    break;
                case 'c':
                    output.Append(CodecName(cid.CodecCode));
                    break;
                case 'C':
                    output.Append(cid.CodecCode);
                    break;
                case 'h':
                    output.Append(HashName(hash.Code));
                    break;
                case 'H':
                    output.Append(hash.Code);
                    break;
                case 'L':
                    output.Append(hash.Digest.Length);
                    break;
                case 'm':
                    output.Append(Multibase.Encode(encoding, hash.Bytes));
                    break;
                case 'M':
                    output.Append(Multibase.EncodeWithoutPrefix(encoding, hash.Bytes));
                    break;
                case 'd':
                    output.Append(Multibase.Encode(encoding, hash.Digest));
                    break;
                case 'D':
                    output.Append(Multibase.EncodeWithoutPrefix(encoding, hash.Digest));
                    break;
                case 's':
                    output.Append(cid.ToString(encoding));
                    break;
                case 'S':
                    output.Append(Multibase.EncodeWithoutPrefix(encoding, cid.Bytes));
                    break;
                default: // 'P'; Validate let nothing else through
                    output.Append(CultureInfo.InvariantCulture, $"cidv{cid.Version}-{CodecName(cid.CodecCode)}-{HashName(hash.Code)}-{hash.Digest.Length}");
                    break;
            }
        }

        return output.ToString();
    }

    private static string CodecName(ulong code) =>
        MulticodecTable.TryGetName(code, out string? name) ? name : string.Create(CultureInfo.InvariantCulture, $"codec?{code}");

    private static string HashName(ulong code) =>
        MulticodecTable.TryGetName(code, out string? name) ? name : string.Create(CultureInfo.InvariantCulture, $"hash?{code}");
}
