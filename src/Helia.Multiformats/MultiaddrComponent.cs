using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Helia.Multiformats;

/// <summary>One protocol of a multiaddr with its value in binary form (empty for protocols without a value).</summary>
public readonly record struct MultiaddrComponent(MultiaddrProtocol Protocol, ReadOnlyMemory<byte> Value)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The value as the text form writes it ("" for protocols without a value).</summary>
    public string ValueText => FormatValue(Protocol, Value.Span);

    /// <summary>Builds a component from the value's text form.</summary>
    public static MultiaddrComponent FromText(MultiaddrProtocol protocol, string text)
    {
        byte[] value = ParseValue(protocol, text);
        ValidateValue(protocol, value);
        return new(protocol, value);
    }

    /// <summary>The binary form: code, then the value (length-prefixed when the protocol's size is variable).</summary>
    public void WriteTo(List<byte> destination)
    {
        Span<byte> varint = stackalloc byte[Varint.MaxLength];
        destination.AddRange(varint[..Varint.Write((ulong)Protocol.Code, varint)]);
        if (Protocol.FixedSize < 0)
        {
            destination.AddRange(varint[..Varint.Write((ulong)Value.Length, varint)]);
        }

        destination.AddRange(Value.Span);
    }

    public bool Equals(MultiaddrComponent other) => Protocol == other.Protocol && Value.Span.SequenceEqual(other.Value.Span);

    public override int GetHashCode() => HashCode.Combine(Protocol.Code, Value.Length);

    public override string ToString() => Protocol.ValueKind switch
    {
        MultiaddrValueKind.None => $"/{Protocol.Name}",
        MultiaddrValueKind.Path => $"/{Protocol.Name}{(ValueText.StartsWith('/') ? "" : "/")}{ValueText}",   // the path keeps its own leading '/'
        _ => $"/{Protocol.Name}/{ValueText}",
    };

    /// <summary>Checks a binary value read from the network and throws if the protocol cannot hold it.</summary>
    internal static void ValidateValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        switch (protocol.ValueKind)
        {
            case MultiaddrValueKind.Text or MultiaddrValueKind.Path or MultiaddrValueKind.PercentEncoded:
                string text = DecodeUtf8(protocol, value);
                if (text.Length == 0 || (protocol.ValueKind == MultiaddrValueKind.Text && text.Contains('/')))
                {
                    throw new MultiaddrFormatException($"/{protocol.Name} needs a non-empty value without '/'.");
                }

                break;
            case MultiaddrValueKind.PeerId:
                _ = Multiformats.PeerId.FromBytes(value);
                break;
            case MultiaddrValueKind.Multihash:
                try
                {
                    _ = Multiformats.Multihash.Parse(value);
                }
                catch (MultihashException ex)
                {
                    throw new MultiaddrFormatException($"/{protocol.Name} does not hold a multihash: {ex.Message}", ex);
                }

                break;
        }
    }

    private static byte[] ParseValue(MultiaddrProtocol protocol, string text)
    {
        switch (protocol.ValueKind)
        {
            case MultiaddrValueKind.None:
                return [];
            case MultiaddrValueKind.IPv4:
                return ParseAddress(protocol, text, AddressFamily.InterNetwork);
            case MultiaddrValueKind.IPv6:
                return ParseAddress(protocol, text, AddressFamily.InterNetworkV6);
            case MultiaddrValueKind.Port:
                ushort port = IsDecimal(text) && ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort p)
                    ? p
                    : throw new MultiaddrFormatException($"/{protocol.Name} needs a port from 0 to 65535, not '{text}'.");
                byte[] bytes = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
                return bytes;
            case MultiaddrValueKind.Byte:
                return IsDecimal(text) && byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out byte b)
                    ? [b]
                    : throw new MultiaddrFormatException($"/{protocol.Name} needs a number from 0 to 255, not '{text}'.");
            case MultiaddrValueKind.PeerId:
                try
                {
                    return Multiformats.PeerId.Parse(text).ToArray();
                }
                catch (MultiformatsException ex)
                {
                    throw new MultiaddrFormatException($"/{protocol.Name} needs a peer ID: {ex.Message}", ex);
                }

            case MultiaddrValueKind.Multihash:
                try
                {
                    byte[] multihash = Multibase.Decode(text);
                    _ = Multiformats.Multihash.Parse(multihash);
                    return multihash;
                }
                catch (MultiformatsException ex)
                {
                    throw new MultiaddrFormatException($"/{protocol.Name} needs a multibase multihash: {ex.Message}", ex);
                }

            case MultiaddrValueKind.PercentEncoded:
                return Encoding.UTF8.GetBytes(Uri.UnescapeDataString(text));
            default:
                return Encoding.UTF8.GetBytes(text);
        }
    }

    private static string FormatValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value) => protocol.ValueKind switch
    {
        MultiaddrValueKind.None => "",
        MultiaddrValueKind.IPv4 or MultiaddrValueKind.IPv6 => new IPAddress(value).ToString(),
        MultiaddrValueKind.Port => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(CultureInfo.InvariantCulture),
        MultiaddrValueKind.Byte => value[0].ToString(CultureInfo.InvariantCulture),
        MultiaddrValueKind.PeerId => Multiformats.PeerId.FromBytes(value).ToString(),
        MultiaddrValueKind.Multihash => "u" + System.Buffers.Text.Base64Url.EncodeToString(value),
        MultiaddrValueKind.PercentEncoded => Uri.EscapeDataString(DecodeUtf8(protocol, value)),
        _ => DecodeUtf8(protocol, value),
    };

    private static byte[] ParseAddress(MultiaddrProtocol protocol, string text, AddressFamily family)
    {
        // IPAddress.TryParse also takes "1" or "1.2" for IPv4 and zones for IPv6; the text form allows neither.
        bool canonicalShape = family == AddressFamily.InterNetwork
            ? text.Count('.') == 3
            : text.Contains(':') && !text.Contains('%');
        if (!canonicalShape || !IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != family)
        {
            throw new MultiaddrFormatException($"/{protocol.Name} needs an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address, not '{text}'.");
        }

        return address.GetAddressBytes();
    }

    private static bool IsDecimal(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static string DecodeUtf8(MultiaddrProtocol protocol, ReadOnlySpan<byte> value)
    {
        try
        {
            return s_strictUtf8.GetString(value);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MultiaddrFormatException($"/{protocol.Name} holds bytes that are not UTF-8.", ex);
        }
    }
}
