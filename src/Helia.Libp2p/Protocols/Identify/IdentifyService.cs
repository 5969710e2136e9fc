using Google.Protobuf;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using IdentifyMessage = Helia.Libp2p.Protos.Identify;

namespace Helia.Libp2p.Protocols.Identify;

/// <summary>
/// Identify (specs: libp2p/identify): on /ipfs/id/1.0.0 the listener sends one length-prefixed Identify message
/// (public key, listen addresses, protocols, the address it sees us at, agent and protocol versions) and closes;
/// on /ipfs/id/push/1.0.0 the dialer sends its own message unasked, when its protocols or addresses change.
/// What a peer reports is checked (its key must match its peer id; sizes and counts are bounded) and stored in
/// the peer store; <see cref="Identified"/> is raised after each accepted message.
/// </summary>
public sealed partial class IdentifyService
{
    public const string ProtocolId = "/ipfs/id/1.0.0";
    public const string PushProtocolId = "/ipfs/id/push/1.0.0";

    private readonly ILibp2pHost _host;
    private readonly ReadOnlyMemory<byte> _publicKey;
    private readonly Func<IReadOnlyCollection<string>> _protocols;
    private readonly Func<IReadOnlyList<Multiaddr>> _listenAddresses;
    private readonly IdentifyOptions _options;
    private readonly ILogger<IdentifyService> _logger;

    /// <param name="host">The host whose peer store is updated and whose listen addresses are announced.</param>
    /// <param name="publicKey">Our public key in the libp2p PublicKey protobuf encoding.</param>
    /// <param name="protocols">The protocols we currently handle.</param>
    /// <param name="listenAddresses">The addresses to announce; null announces the host's listen addresses.</param>
    /// <param name="options">Settings; null takes the defaults.</param>
    /// <param name="logger">Optional logging.</param>
    public IdentifyService(
        ILibp2pHost host,
        ReadOnlyMemory<byte> publicKey,
        Func<IReadOnlyCollection<string>> protocols,
        Func<IReadOnlyList<Multiaddr>>? listenAddresses = null,
        IdentifyOptions? options = null,
        ILogger<IdentifyService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(protocols);
        _options = options ?? new IdentifyOptions();
        _options.Validate();
        _host = host;
        _publicKey = publicKey;
        _protocols = protocols;
        _listenAddresses = listenAddresses ?? (() => host.ListenAddresses);
        _logger = logger ?? NullLogger<IdentifyService>.Instance;
    }

    /// <summary>A peer's identify message was accepted and stored. Handlers must not block.</summary>
    public event EventHandler<PeerEventArgs>? Identified;

    /// <summary>Registers the identify and identify-push handlers; disposing the result unregisters both.</summary>
    public IDisposable Register()
    {
        IDisposable identify = _host.Handle(ProtocolId, HandleIdentifyAsync);
        IDisposable push = _host.Handle(PushProtocolId, HandlePushAsync);
        return new Registrations(identify, push);
    }

    /// <summary>Asks the peer on <paramref name="connection"/> who it is, stores the answer and returns it.</summary>
    public async Task<PeerRecord> IdentifyAsync(IConnection connection, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        await using IStream stream = await connection.NewStreamAsync([ProtocolId], timeout.Token);
        try
        {
            await stream.Output.CompleteAsync();     // we send nothing on this stream
            IdentifyMessage message = await LengthPrefixedMessage.ReadAsync(stream.Input, IdentifyMessage.Parser, _options.MaxMessageSize, ProtocolId, timeout.Token)
                ?? throw new Libp2pProtocolException(ProtocolId, "The peer closed the stream without an identify message.");
            Apply(connection, message);
            return _host.PeerStore.Get(connection.RemotePeer)!;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            stream.Reset();
            throw new TimeoutException($"Identify with {connection.RemotePeer} took longer than {_options.Timeout}.");
        }
        catch (Libp2pProtocolException ex)
        {
            stream.Reset();
            Log.Rejected(_logger, connection.RemotePeer, ex.Message);
            throw;
        }
    }

    /// <summary>Pushes our current identify message to the peer on <paramref name="connection"/>.</summary>
    public async Task PushAsync(IConnection connection, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        await using IStream stream = await connection.NewStreamAsync([PushProtocolId], timeout.Token);
        await LengthPrefixedMessage.WriteAsync(stream.Output, BuildMessage(connection), timeout.Token);
        await stream.Output.CompleteAsync();
    }

    internal async Task HandleIdentifyAsync(IStream stream, CancellationToken cancellationToken)
    {
        await LengthPrefixedMessage.WriteAsync(stream.Output, BuildMessage(stream.Connection), cancellationToken);
        await stream.Output.CompleteAsync();
    }

    internal async Task HandlePushAsync(IStream stream, CancellationToken cancellationToken)
    {
        try
        {
            IdentifyMessage? message = await LengthPrefixedMessage.ReadAsync(
                stream.Input, IdentifyMessage.Parser, _options.MaxMessageSize, PushProtocolId, cancellationToken);
            if (message is not null)
            {
                Apply(stream.Connection, message, replaceAddresses: true);
            }
        }
        catch (Libp2pProtocolException ex)
        {
            Log.Rejected(_logger, stream.Connection.RemotePeer, ex.Message);
            throw;
        }
    }

    internal IdentifyMessage BuildMessage(IConnection connection)
    {
        var message = new IdentifyMessage
        {
            ProtocolVersion = _options.ProtocolVersion,
            AgentVersion = _options.AgentVersion,
            ObservedAddr = ByteString.CopyFrom(connection.RemoteAddress.Bytes),
        };
        if (!_publicKey.IsEmpty)
        {
            message.PublicKey = UnsafeByteOperations.UnsafeWrap(_publicKey);
        }

        foreach (Multiaddr address in _listenAddresses())
        {
            message.ListenAddrs.Add(ByteString.CopyFrom(address.WithoutPeerId().Bytes));
        }

        message.Protocols.AddRange(_protocols());
        return message;
    }

    /// <summary>
    /// Checks a peer's message and stores it; throws <see cref="Libp2pProtocolException"/> if it lies about its key.
    /// A push (<paramref name="replaceAddresses"/>) states the peer's current addresses: any other address we held for
    /// it, except the one we are connected to, is forgotten (a listener it closed is no longer dialed).
    /// </summary>
    internal void Apply(IConnection connection, IdentifyMessage message, bool replaceAddresses = false)
    {
        PeerId peer = connection.RemotePeer;
        ReadOnlyMemory<byte> publicKey = message.HasPublicKey ? message.PublicKey.Memory : default;
        if (!publicKey.IsEmpty && PeerIdOf(publicKey.Span) != peer)
        {
            throw new Libp2pProtocolException(ProtocolId, $"The public key sent does not belong to {peer}.");
        }

        var addresses = new List<Multiaddr>();
        foreach (ByteString bytes in message.ListenAddrs)
        {
            if (addresses.Count >= _options.MaxAddresses)
            {
                Log.TooMany(_logger, peer, "listen addresses", _options.MaxAddresses);
                break;
            }

            if (TryParseAddress(bytes, out Multiaddr? address))
            {
                addresses.Add(address);
            }
        }

        Multiaddr? observed = message.HasObservedAddr && TryParseAddress(message.ObservedAddr, out Multiaddr? seen) ? seen : null;
        if (message.Protocols.Count > _options.MaxProtocols)
        {
            Log.TooMany(_logger, peer, "protocols", _options.MaxProtocols);
        }

        IPeerStore store = _host.PeerStore;
        if (replaceAddresses)
        {
            store.ReplaceAddresses(peer, addresses, _options.AddressTtl, keep: [connection.RemoteAddress]);
        }
        else
        {
            store.AddAddresses(peer, addresses, _options.AddressTtl);
        }

        store.SetProtocols(peer, message.Protocols.Take(_options.MaxProtocols));
        store.SetIdentity(peer, publicKey, message.HasAgentVersion ? message.AgentVersion : null, observed);
        Log.Identified(_logger, peer, message.HasAgentVersion ? message.AgentVersion : "(none)", message.Protocols.Count, addresses.Count);
        try
        {
            Identified?.Invoke(this, new PeerEventArgs(peer, connection, addresses));
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex);
        }
    }

    /// <summary>The peer id of an encoded public key: the identity multihash up to 42 bytes, else its sha2-256.</summary>
    internal static PeerId PeerIdOf(ReadOnlySpan<byte> encodedPublicKey) =>
        PeerId.FromMultihash(encodedPublicKey.Length <= PeerId.MaxInlineKeyLength
            ? Multihash.Create(Multicodec.Identity, encodedPublicKey)
            : Multihash.Compute(Multicodec.Sha2_256, encodedPublicKey));

    private bool TryParseAddress(ByteString bytes, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Multiaddr? address)
    {
        try
        {
            address = Multiaddr.FromBytes(bytes.Span);
            return true;
        }
        catch (MultiformatsException ex)
        {
            Log.BadAddress(_logger, ex.Message);
            address = null;
            return false;
        }
    }

    private sealed class Registrations(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Identified {Peer}: {Agent}, {Protocols} protocols, {Addresses} addresses")]
        public static partial void Identified(ILogger logger, PeerId peer, string agent, int protocols, int addresses);

        [LoggerMessage(Level = LogLevel.Information, Message = "Rejected an identify message from {Peer}: {Reason}")]
        public static partial void Rejected(ILogger logger, PeerId peer, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Peer} sent more {What} than {Limit}; the rest are ignored")]
        public static partial void TooMany(ILogger logger, PeerId peer, string what, int limit);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a bad address in an identify message: {Reason}")]
        public static partial void BadAddress(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "An Identified handler threw")]
        public static partial void HandlerFailed(ILogger logger, Exception exception);
    }
}
