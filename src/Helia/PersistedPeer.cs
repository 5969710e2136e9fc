using System.Text.Json;
using System.Text.Json.Serialization;
using Helia.Core;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia;

/// <summary>
/// One peer store entry as kept in the datastore under <c>/peers/&lt;peer id&gt;</c>: a small JSON document
/// (<c>{"v":1,"id":…,"addresses":[{"addr":"/ip4/…","expires":unix-ms}],"protocols":[…],"publicKey":base64,
/// "agentVersion":…,"observedAddress":…}</c>). Address expiry times are absolute, so a record read after a restart
/// keeps only what is still valid. <see cref="Decode"/> checks everything it reads: the size first, the id against
/// the key, the public key against the id, every address; anything wrong raises <see cref="HeliaException"/>.
/// </summary>
internal sealed partial class PersistedPeer
{
    public const int Version = 1;

    /// <summary>No record is written or read past this size (64 addresses, 128 protocols and a key fit well within it).</summary>
    public const int MaxSize = 64 * 1024;

    public required PeerId Id { get; init; }

    public required IReadOnlyList<KeyValuePair<Multiaddr, DateTimeOffset>> Addresses { get; init; }

    public required IReadOnlyList<string> Protocols { get; init; }

    public ReadOnlyMemory<byte> PublicKey { get; init; }

    public string? AgentVersion { get; init; }

    public Multiaddr? ObservedAddress { get; init; }

    public byte[] Encode()
    {
        var dto = new Dto
        {
            V = Version,
            Id = Id.ToString(),
            Addresses = [.. Addresses.Select(a => new AddressDto { Addr = a.Key.ToString(), Expires = a.Value.ToUnixTimeMilliseconds() })],
            Protocols = [.. Protocols],
            PublicKey = PublicKey.IsEmpty ? null : PublicKey.ToArray(),
            AgentVersion = AgentVersion,
            ObservedAddress = ObservedAddress?.ToString(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(dto, RecordJson.Default.Dto);
    }

    /// <summary>Reads the record stored for <paramref name="expected"/>; throws <see cref="HeliaException"/> on anything malformed.</summary>
    public static PersistedPeer Decode(PeerId expected, ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxSize)
        {
            throw new HeliaException($"The peer record of {expected} is {json.Length} bytes, over the limit of {MaxSize}.");
        }

        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(json, RecordJson.Default.Dto);
        }
        catch (JsonException ex)
        {
            throw new HeliaException($"The peer record of {expected} is not valid JSON: {ex.Message}", ex);
        }

        if (dto is null || dto.V != Version)
        {
            throw new HeliaException($"The peer record of {expected} has no known version (expected {Version}).");
        }

        if (dto.Id != expected.ToString())
        {
            throw new HeliaException($"The peer record under {expected} names another peer ({dto.Id}).");
        }

        try
        {
            var addresses = new List<KeyValuePair<Multiaddr, DateTimeOffset>>(dto.Addresses?.Count ?? 0);
            foreach (AddressDto? address in dto.Addresses ?? [])
            {
                if (address?.Addr is null || address.Expires < 0 || address.Expires > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                {
                    throw new HeliaException($"The peer record of {expected} holds an address without a valid expiry time.");
                }

                addresses.Add(new(Multiaddr.Parse(address.Addr), DateTimeOffset.FromUnixTimeMilliseconds(address.Expires)));
            }

            if (dto.PublicKey is { Length: > 0 } key && PeerId.FromMultihash(Libp2p.Crypto.PublicKey.Unmarshal(key).ToPeerIdMultihash()) != expected)
            {
                throw new HeliaException($"The public key in the peer record of {expected} belongs to another peer.");
            }

            return new PersistedPeer
            {
                Id = expected,
                Addresses = addresses,
                Protocols = dto.Protocols is null ? [] : [.. dto.Protocols.OfType<string>().Where(p => p.Length > 0)],
                PublicKey = dto.PublicKey ?? default(ReadOnlyMemory<byte>),
                AgentVersion = dto.AgentVersion,
                ObservedAddress = dto.ObservedAddress is null ? null : Multiaddr.Parse(dto.ObservedAddress),
            };
        }
        catch (Exception ex) when (ex is MultiformatsException or KeyFormatException)
        {
            throw new HeliaException($"The peer record of {expected} is malformed: {ex.Message}", ex);
        }
    }

    // Source-generated: reflection-based serialization emitted accessors and loaded reflection metadata on the first
    // connection, and their JIT (about 200 methods) then ran in the middle of the node's first transfer.
    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Dto))]
    private sealed partial class RecordJson : JsonSerializerContext;

    private sealed class Dto
    {
        [JsonPropertyName("v")]
        public int V { get; set; }

        [JsonPropertyName("id")]
        public string? Id { get; set; }

        [JsonPropertyName("addresses")]
        public List<AddressDto?>? Addresses { get; set; }

        [JsonPropertyName("protocols")]
        public List<string?>? Protocols { get; set; }

        [JsonPropertyName("publicKey")]
        public byte[]? PublicKey { get; set; }

        [JsonPropertyName("agentVersion")]
        public string? AgentVersion { get; set; }

        [JsonPropertyName("observedAddress")]
        public string? ObservedAddress { get; set; }
    }

    private sealed class AddressDto
    {
        [JsonPropertyName("addr")]
        public string? Addr { get; set; }

        [JsonPropertyName("expires")]
        public long Expires { get; set; }
    }
}
