using Helia.Multiformats;

namespace Helia.Libp2p.Host;

/// <summary>
/// The in-memory peer store: addresses with expiry times, protocols, public keys and what identify reported.
/// Thread-safe; expired addresses are dropped when read. Bounded: at most <see cref="MaxAddressesPerPeer"/> addresses
/// and <see cref="MaxProtocolsPerPeer"/> protocols per peer (the soonest to expire go first), and at most
/// <see cref="DefaultMaxPeers"/> peers by default (new peers are refused past that). The node (src/Helia) persists it
/// in the repo's datastore through <see cref="GetAddressExpiries"/> and <see cref="AddAddressesUntil"/>.
/// </summary>
public sealed class PeerStore : IPeerStore
{
    public const int DefaultMaxPeers = 10_000;
    public const int MaxAddressesPerPeer = 64;
    public const int MaxProtocolsPerPeer = 128;

    private readonly Dictionary<PeerId, Entry> _peers = [];
    private readonly TimeProvider _time;
    private readonly int _maxPeers;

    public PeerStore(TimeProvider? timeProvider = null, int maxPeers = DefaultMaxPeers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeers, 1);
        _time = timeProvider ?? TimeProvider.System;
        _maxPeers = maxPeers;
    }

    public IReadOnlyCollection<PeerId> Peers
    {
        get
        {
            lock (_peers)
            {
                DateTimeOffset now = _time.GetUtcNow();
                var live = new List<PeerId>(_peers.Count);
                foreach ((PeerId id, Entry entry) in _peers)
                {
                    entry.RemoveExpired(now);
                    if (!entry.IsEmpty)
                    {
                        live.Add(id);
                    }
                }

                return live;
            }
        }
    }

    public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = ttl == TimeSpan.MaxValue || ttl >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + ttl;
        AddAddressesUntil(peer, addresses, expires);
    }

    /// <summary>
    /// Adds addresses that stay valid until <paramref name="expires"/> (refreshing known ones to the later time);
    /// addresses whose time has already passed are not added (a record loaded from disk may hold such).
    /// </summary>
    public void AddAddressesUntil(PeerId peer, IEnumerable<Multiaddr> addresses, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        DateTimeOffset now = _time.GetUtcNow();
        if (expires <= now)
        {
            return;
        }

        lock (_peers)
        {
            if (GetOrCreate(peer) is not { } entry)
            {
                return;
            }

            foreach (Multiaddr address in addresses)
            {
                Multiaddr plain = address.WithoutPeerId();
                if (!entry.Addresses.TryGetValue(plain, out DateTimeOffset known) || known < expires)
                {
                    entry.Addresses[plain] = expires;
                }
            }

            entry.RemoveExpired(now);
            TrimAddresses(entry);
        }
    }

    public IReadOnlyList<Multiaddr> GetAddresses(PeerId peer)
    {
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out Entry? entry))
            {
                return [];
            }

            entry.RemoveExpired(_time.GetUtcNow());
            return [.. entry.Addresses.Keys];
        }
    }

    /// <summary>The addresses that have not expired, each with the time it expires (what a persisted record keeps).</summary>
    public IReadOnlyList<KeyValuePair<Multiaddr, DateTimeOffset>> GetAddressExpiries(PeerId peer)
    {
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out Entry? entry))
            {
                return [];
            }

            entry.RemoveExpired(_time.GetUtcNow());
            return [.. entry.Addresses];
        }
    }

    public void ReplaceAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl, IEnumerable<Multiaddr>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        var fresh = new HashSet<Multiaddr>(addresses.Select(a => a.WithoutPeerId()));
        var kept = new HashSet<Multiaddr>((keep ?? []).Select(a => a.WithoutPeerId()));
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = ttl == TimeSpan.MaxValue || ttl >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + ttl;
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out Entry? entry))
            {
                if (fresh.Count == 0 || expires <= now)
                {
                    return;
                }

                entry = GetOrCreate(peer);
                if (entry is null)
                {
                    return;
                }
            }

            foreach (Multiaddr address in entry.Addresses.Keys)
            {
                if (!fresh.Contains(address) && !kept.Contains(address))
                {
                    entry.Addresses.Remove(address);
                }
            }

            if (expires > now)
            {
                foreach (Multiaddr address in fresh)
                {
                    if (!entry.Addresses.TryGetValue(address, out DateTimeOffset known) || known < expires)
                    {
                        entry.Addresses[address] = expires;
                    }
                }
            }

            entry.RemoveExpired(now);
            TrimAddresses(entry);
        }
    }

    public void SetProtocols(PeerId peer, IEnumerable<string> protocols)
    {
        ArgumentNullException.ThrowIfNull(protocols);
        lock (_peers)
        {
            if (GetOrCreate(peer) is { } entry)
            {
                entry.Protocols = [.. protocols.Distinct(StringComparer.Ordinal).Take(MaxProtocolsPerPeer)];
            }
        }
    }

    public void SetIdentity(PeerId peer, ReadOnlyMemory<byte> publicKey, string? agentVersion, Multiaddr? observedAddress)
    {
        lock (_peers)
        {
            if (GetOrCreate(peer) is { } entry)
            {
                if (!publicKey.IsEmpty)
                {
                    entry.PublicKey = publicKey.ToArray();
                }

                entry.AgentVersion = agentVersion ?? entry.AgentVersion;
                entry.ObservedAddress = observedAddress ?? entry.ObservedAddress;
            }
        }
    }

    public PeerRecord? Get(PeerId peer)
    {
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out Entry? entry))
            {
                return null;
            }

            entry.RemoveExpired(_time.GetUtcNow());
            return new PeerRecord(peer, [.. entry.Addresses.Keys], entry.Protocols, entry.PublicKey, entry.AgentVersion, entry.ObservedAddress);
        }
    }

    /// <summary>Forgets everything about the peer.</summary>
    public void Remove(PeerId peer)
    {
        lock (_peers)
        {
            _peers.Remove(peer);
        }
    }

    // At most MaxAddressesPerPeer addresses: the soonest to expire go first.
    private static void TrimAddresses(Entry entry)
    {
        while (entry.Addresses.Count > MaxAddressesPerPeer)
        {
            entry.Addresses.Remove(entry.Addresses.MinBy(pair => pair.Value).Key);
        }
    }

    private Entry? GetOrCreate(PeerId peer)
    {
        if (_peers.TryGetValue(peer, out Entry? entry))
        {
            return entry;
        }

        if (_peers.Count >= _maxPeers)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach ((PeerId id, Entry old) in _peers)
            {
                old.RemoveExpired(now);
                if (old.IsEmpty)
                {
                    _peers.Remove(id);
                }
            }

            if (_peers.Count >= _maxPeers)
            {
                return null;
            }
        }

        entry = new Entry();
        _peers[peer] = entry;
        return entry;
    }

    private sealed class Entry
    {
        public Dictionary<Multiaddr, DateTimeOffset> Addresses { get; } = [];
        public IReadOnlyList<string> Protocols { get; set; } = [];
        public ReadOnlyMemory<byte> PublicKey { get; set; }
        public string? AgentVersion { get; set; }
        public Multiaddr? ObservedAddress { get; set; }

        public bool IsEmpty => Addresses.Count == 0 && Protocols.Count == 0 && PublicKey.IsEmpty && AgentVersion is null;

        public void RemoveExpired(DateTimeOffset now)
        {
            foreach ((Multiaddr address, DateTimeOffset expires) in Addresses)
            {
                if (expires <= now)
                {
                    Addresses.Remove(address);
                }
            }
        }
    }
}
