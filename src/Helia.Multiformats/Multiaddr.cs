using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;

namespace Helia.Multiformats;

/// <summary>
/// A self-describing network address (specs: multiformats/multiaddr), e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo….
/// Immutable; equal when the binary forms are equal. Unknown protocol codes and malformed values are rejected.
/// </summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>The longest binary multiaddr we accept from the network.</summary>
    public const int MaxLength = 1024;

    private readonly byte[] _bytes;
    private readonly MultiaddrComponent[] _components;

    private Multiaddr(MultiaddrComponent[] components)
    {
        _components = components;
        var bytes = new List<byte>();
        foreach (MultiaddrComponent component in components)
        {
            component.WriteTo(bytes);
        }

        _bytes = [.. bytes];
    }

    /// <summary>The protocols and values, outermost first.</summary>
    public IReadOnlyList<MultiaddrComponent> Components => _components;

    /// <summary>The binary form.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The peer named by the last /p2p/ component, if any.</summary>
    public PeerId? PeerId
    {
        get
        {
            for (int i = _components.Length - 1; i >= 0; i--)
            {
                if (_components[i].Protocol == MultiaddrProtocol.P2p)
                {
                    return Multiformats.PeerId.FromBytes(_components[i].Value.Span);
                }
            }

            return null;
        }
    }

    /// <summary>Builds a multiaddr from components.</summary>
    public static Multiaddr Create(IEnumerable<MultiaddrComponent> components) => new([.. components]);

    /// <summary>/ip4/A/tcp/P or /ip6/A/tcp/P for an endpoint.</summary>
    public static Multiaddr FromTcpEndPoint(IPEndPoint endPoint)
    {
        IPAddress address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        MultiaddrProtocol ip = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? MultiaddrProtocol.Ip4 : MultiaddrProtocol.Ip6;
        byte[] port = [(byte)(endPoint.Port >> 8), (byte)endPoint.Port];
        return new([new(ip, address.GetAddressBytes()), new(MultiaddrProtocol.Tcp, port)]);
    }

    /// <summary>Parses the text form; throws <see cref="MultiaddrFormatException"/>.</summary>
    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[0] != '/')
        {
            throw new MultiaddrFormatException($"A multiaddr starts with '/': '{text}'.");
        }

        string[] parts = text.Split('/');
        var components = new List<MultiaddrComponent>();
        int i = 1;
        while (i < parts.Length)
        {
            string name = parts[i++];
            if (name.Length == 0)
            {
                if (i == parts.Length)
                {
                    break;   // one trailing slash is tolerated, as go and js do
                }

                throw new MultiaddrFormatException($"Empty protocol name in '{text}'.");
            }

            if (!MultiaddrProtocol.TryGet(name, out MultiaddrProtocol? protocol))
            {
                throw new MultiaddrFormatException($"Unknown multiaddr protocol '{name}' in '{text}'.");
            }

            if (protocol.ValueKind == MultiaddrValueKind.None)
            {
                components.Add(new(protocol, ReadOnlyMemory<byte>.Empty));
                continue;
            }

            if (i >= parts.Length)
            {
                throw new MultiaddrFormatException($"/{protocol.Name} needs a value in '{text}'.");
            }

            string value = protocol.ValueKind == MultiaddrValueKind.Path ? "/" + string.Join('/', parts[i..]) : parts[i];
            i = protocol.ValueKind == MultiaddrValueKind.Path ? parts.Length : i + 1;
            components.Add(MultiaddrComponent.FromText(protocol, value));
        }

        return components.Count > 0
            ? new([.. components])
            : throw new MultiaddrFormatException("A multiaddr needs at least one protocol.");
    }

    /// <summary>Parses like <see cref="Parse"/>, answering false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Multiaddr? multiaddr)
    {
        multiaddr = null;
        if (text is null)
        {
            return false;
        }

        try
        {
            multiaddr = Parse(text);
            return true;
        }
        catch (MultiformatsException)
        {
            return false;
        }
    }

    /// <summary>Parses the binary form; throws <see cref="MultiaddrFormatException"/>.</summary>
    public static Multiaddr FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > MaxLength)
        {
            throw new MultiaddrFormatException($"A binary multiaddr has 1 to {MaxLength} bytes, not {bytes.Length}.");
        }

        var components = new List<MultiaddrComponent>();
        while (!bytes.IsEmpty)
        {
            ulong code = ReadVarint(ref bytes);
            if (!MultiaddrProtocol.TryGet(code, out MultiaddrProtocol? protocol))
            {
                throw new MultiaddrFormatException($"Unknown multiaddr protocol code {code}.");
            }

            int size = protocol.FixedSize;
            if (size < 0)
            {
                ulong length = ReadVarint(ref bytes);
                size = length <= (ulong)bytes.Length
                    ? (int)length
                    : throw new MultiaddrFormatException($"/{protocol.Name} claims {length} bytes but {bytes.Length} remain.");
            }
            else if (size > bytes.Length)
            {
                throw new MultiaddrFormatException($"/{protocol.Name} needs {size} bytes but {bytes.Length} remain.");
            }

            ReadOnlySpan<byte> value = bytes[..size];
            MultiaddrComponent.ValidateValue(protocol, value);
            components.Add(new(protocol, value.ToArray()));
            bytes = bytes[size..];
        }

        return new([.. components]);
    }

    /// <summary>This address followed by <paramref name="inner"/>.</summary>
    public Multiaddr Encapsulate(Multiaddr inner) => new([.. _components, .. inner._components]);

    /// <inheritdoc cref="Encapsulate(Multiaddr)"/>
    public Multiaddr Encapsulate(string inner) => Encapsulate(Parse(inner));

    /// <summary>This address without the last occurrence of <paramref name="protocol"/> and everything after it.</summary>
    public Multiaddr Decapsulate(MultiaddrProtocol protocol)
    {
        for (int i = _components.Length - 1; i > 0; i--)
        {
            if (_components[i].Protocol == protocol)
            {
                return new(_components[..i]);
            }
        }

        return this;
    }

    /// <summary>This address with its /p2p/ suffix removed, if it has one at the end.</summary>
    public Multiaddr WithoutPeerId() =>
        _components.Length > 1 && _components[^1].Protocol == MultiaddrProtocol.P2p ? new(_components[..^1]) : this;

    /// <summary>This address ending in /p2p/<paramref name="peer"/> (replacing a /p2p/ suffix it has).</summary>
    public Multiaddr WithPeerId(PeerId peer) =>
        new([.. WithoutPeerId()._components, new(MultiaddrProtocol.P2p, peer.ToArray())]);

    /// <summary>The IP endpoint of an /ip4|ip6/…/tcp/… address.</summary>
    public bool TryGetTcpEndPoint([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (_components.Length < 2 || _components[1].Protocol != MultiaddrProtocol.Tcp
            || (_components[0].Protocol != MultiaddrProtocol.Ip4 && _components[0].Protocol != MultiaddrProtocol.Ip6))
        {
            return false;
        }

        ReadOnlySpan<byte> port = _components[1].Value.Span;
        endPoint = new IPEndPoint(new IPAddress(_components[0].Value.Span), (port[0] << 8) | port[1]);
        return true;
    }

    public byte[] ToArray() => [.. _bytes];

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (MultiaddrComponent component in _components)
        {
            text.Append(component.ToString());
        }

        return text.ToString();
    }

    public bool Equals(Multiaddr? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(Multiaddr? left, Multiaddr? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Multiaddr? left, Multiaddr? right) => !(left == right);

    private static ulong ReadVarint(ref ReadOnlySpan<byte> bytes)
    {
        try
        {
            ulong value = Varint.Read(bytes, out int read);
            bytes = bytes[read..];
            return value;
        }
        catch (VarintException ex)
        {
            throw new MultiaddrFormatException($"Bad varint in a binary multiaddr: {ex.Message}", ex);
        }
    }
}
