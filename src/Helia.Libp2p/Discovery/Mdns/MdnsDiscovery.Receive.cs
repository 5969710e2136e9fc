using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Discovery.Mdns;

public sealed partial class MdnsDiscovery
{
    private const int ReceiveBufferSize = 65536;   // a whole UDP datagram, so an oversized one is seen and rejected whole

    private async Task ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize);
        var remote = new SocketAddress(socket.AddressFamily);
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, remote, cancellationToken);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                continue;
            }

            OnPacket(buffer.AsSpan(0, received), remote);
        }
    }

    /// <summary>Parses one packet and acts on it; bad packets are logged and dropped, and so is a flood's excess.</summary>
    internal void OnPacket(ReadOnlySpan<byte> packet, SocketAddress? from)
    {
        if (!TryTakePacketSlot())
        {
            return;
        }

        DnsMessage message;
        try
        {
            message = DnsMessage.Read(packet);
        }
        catch (DnsFormatException ex)
        {
            Log.MalformedPacket(_logger, Describe(from), ex.Message);
            return;
        }

        if (!message.IsResponse)
        {
            if (_options.Broadcast && MdnsPackets.AsksFor(message, _options.ServiceName, InstanceName))
            {
                _responseRequests.Writer.TryWrite(true);
            }

            return;
        }

        List<PeerInfo> peers = MdnsPackets.FindPeers(
            message, _options.ServiceName, InstanceName, _self, _options, skipped => Log.Skipped(_logger, Describe(from), skipped));
        foreach (PeerInfo peer in peers)
        {
            if (peer.Addresses.Count > 0 && IsNewOrChanged(peer))
            {
                Log.Discovered(_logger, peer.Id, peer.Addresses.Count);
                RaiseDiscovered(peer);
            }
        }
    }

    // Each peer is raised once per half query interval unless its addresses change; the table is bounded.
    private bool IsNewOrChanged(PeerInfo peer)
    {
        int addressHash = 0;
        foreach (Multiaddr address in peer.Addresses)
        {
            addressHash = HashCode.Combine(addressHash, address);
        }

        long now = Stopwatch.GetTimestamp();
        TimeSpan quiet = _options.QueryInterval / 2;
        lock (_seen)
        {
            if (_seen.TryGetValue(peer.Id, out SeenPeer seen) && seen.AddressHash == addressHash && Stopwatch.GetElapsedTime(seen.Timestamp, now) < quiet)
            {
                return false;
            }

            if (!_seen.ContainsKey(peer.Id) && _seen.Count >= _options.MaxTrackedPeers)
            {
                foreach ((PeerId id, SeenPeer old) in _seen)
                {
                    if (Stopwatch.GetElapsedTime(old.Timestamp, now) >= _options.QueryInterval)
                    {
                        _seen.Remove(id);
                    }
                }

                if (_seen.Count >= _options.MaxTrackedPeers)
                {
                    Log.TooManyPeers(_logger, _options.MaxTrackedPeers, peer.Id);
                    return false;
                }
            }

            _seen[peer.Id] = new SeenPeer(now, addressHash);
            return true;
        }
    }

    private void RaiseDiscovered(PeerInfo peer)
    {
        try
        {
            Discovered?.Invoke(this, peer);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex);
        }
    }

    private static string Describe(SocketAddress? address)
    {
        if (address is null)
        {
            return "(unknown)";
        }

        var endPoint = (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
        return endPoint.ToString();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS started as {Instance} on {Interfaces}")]
        public static partial void Started(ILogger logger, string instance, string interfaces);

        [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS found no usable multicast interface; discovery is off")]
        public static partial void NoInterface(ILogger logger);

        [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS over IPv6 is unavailable: {Reason}")]
        public static partial void IPv6Unavailable(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS could not join the group on {Interface}: {Reason}")]
        public static partial void JoinFailed(ILogger logger, string @interface, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS send on {Interface} failed: {Reason}")]
        public static partial void SendFailed(ILogger logger, string @interface, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a malformed mDNS packet from {From}: {Reason}")]
        public static partial void MalformedPacket(ILogger logger, string from, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Ignored {What} in an mDNS response from {From}")]
        public static partial void Skipped(ILogger logger, string from, string what);

        [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS flood: more than {Limit} packets in a second; dropping the rest of this second")]
        public static partial void FloodDropping(ILogger logger, int limit);

        [LoggerMessage(Level = LogLevel.Warning, Message = "mDNS already tracks {Limit} peers; ignored {Peer}")]
        public static partial void TooManyPeers(ILogger logger, int limit, PeerId peer);

        [LoggerMessage(Level = LogLevel.Debug, Message = "mDNS discovered {Peer} with {Count} addresses")]
        public static partial void Discovered(ILogger logger, PeerId peer, int count);

        [LoggerMessage(Level = LogLevel.Error, Message = "An mDNS Discovered handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "The mDNS {Loop} loop failed")]
        public static partial void LoopFailed(ILogger logger, string loop, Exception exception);
    }
}
