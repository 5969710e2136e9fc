using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using Google.Protobuf;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Libp2p.Protocols;
using Helia.Libp2p.Protocols.Identify;
using Helia.Multiformats;
using IdentifyMessage = Helia.Libp2p.Protos.Identify;

namespace Helia.Libp2p.Tests.Protocols;

/// <summary>
/// Length-prefixed protobuf frames and identify messages holding garbage (random or mutated public keys, listen and
/// observed addresses, and mutated frames): a frame is read or refused with <see cref="Libp2pProtocolException"/>, and
/// an identify push stores only addresses that parse and only a key that belongs to the peer.
/// </summary>
public class IdentifyBadInputTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly Multiaddr s_remoteAddress = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001");
    private static readonly byte[][] s_validAddresses =
    [
        Multiaddr.Parse("/ip4/192.0.2.1/tcp/4001").ToArray(),
        Multiaddr.Parse("/ip6/::1/udp/4001/quic-v1").ToArray(),
        Multiaddr.Parse("/dns4/example.com/tcp/443/tls/ws").ToArray(),
    ];

    private readonly Ed25519PrivateKey _remoteKey = Ed25519PrivateKey.Generate();
    private readonly Ed25519PrivateKey _localKey = Ed25519PrivateKey.Generate();

    public void Dispose()
    {
        _remoteKey.Dispose();
        _localKey.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task ReadLengthPrefixed_RandomOrMutatedFrame_ReadsOrThrowsProtocolException()
    {
        byte[] valid = Frame(new IdentifyMessage
        {
            AgentVersion = "helia-dotnet",
            PublicKey = ByteString.CopyFrom(_remoteKey.PublicKey.Marshal()),
            ListenAddrs = { s_validAddresses.Select(ByteString.CopyFrom) },
            Protocols = { "/ipfs/id/1.0.0", "/ipfs/bitswap/1.2.0" },
        });
        await BadInput.RandomOrMutated(64, valid).SampleAsync(
            async bytes =>
            {
                PipeReader input = BadInput.ReaderOf(bytes);
                await BadInput.ParsesOrThrowsAsync<Libp2pProtocolException>(
                    async () =>
                    {
                        IdentifyMessage? message = await LengthPrefixedMessage.ReadAsync(input, IdentifyMessage.Parser, 1024, IdentifyService.ProtocolId, default);
                        Assert.True(message is not null || bytes.Length == 0, "null for a stream that was not empty");
                    },
                    s_timeout);
            },
            iter: 1000);
    }

    [Fact]
    public async Task Push_GarbageFields_StoresOnlyParsedAddressesAndTheMatchingKey()
    {
        PeerId remote = PeerId.FromMultihash(_remoteKey.PublicKey.ToPeerIdMultihash());
        byte[] key = _remoteKey.PublicKey.Marshal();
        Gen<byte[]> address = Gen.OneOf(Gen.OneOf<byte[]>(s_validAddresses), BadInput.RandomOrMutated(24, s_validAddresses));
        Gen<byte[]?> publicKey = Gen.OneOf(Gen.Const((byte[]?)null), Gen.Const<byte[]?>(key), BadInput.RandomOrMutated(48, key).Select(bytes => (byte[]?)bytes));
        Gen<byte[]> frame = Gen.Select(publicKey, address.Array[0, 4], Gen.OneOf(Gen.Const((byte[]?)null), address.Select(bytes => (byte[]?)bytes)), (keyBytes, listen, observed) =>
        {
            var message = new IdentifyMessage { AgentVersion = "fuzz", Protocols = { "/ipfs/id/1.0.0" } };
            if (keyBytes is not null)
            {
                message.PublicKey = ByteString.CopyFrom(keyBytes);
            }

            message.ListenAddrs.AddRange(listen.Select(ByteString.CopyFrom));
            if (observed is not null)
            {
                message.ObservedAddr = ByteString.CopyFrom(observed);
            }

            return Frame(message);
        });

        await Gen.OneOf(frame, frame.SelectMany(valid => BadInput.Mutated(valid))).SampleAsync(
            async bytes =>
            {
                await using Libp2pHost host = Libp2pHost.Create(null, _localKey);
                var stream = new FakeStream(BadInput.ReaderOf(bytes), new FakeConnection(remote, s_remoteAddress));
                await BadInput.ParsesOrThrowsAsync<Libp2pProtocolException>(() => host.Identify.HandlePushAsync(stream, default), s_timeout);

                if (host.PeerStore.Get(remote) is not PeerRecord record)
                {
                    return;
                }

                IdentifyMessage sent = ParseBody(bytes);
                var parsed = new HashSet<Multiaddr>(sent.ListenAddrs.Select(TryParse).OfType<Multiaddr>().Select(a => a.WithoutPeerId())) { s_remoteAddress };
                Assert.All(record.Addresses, stored => Assert.Contains(stored, parsed));
                Assert.True(record.PublicKey.IsEmpty || IdentifyService.PeerIdOf(record.PublicKey.Span) == remote, "stored a key that is not the peer's");
                Assert.True(record.ObservedAddress is null || record.ObservedAddress == TryParse(sent.ObservedAddr), "stored an observed address that was not sent");
            },
            iter: 400);
    }

    private static byte[] Frame(IdentifyMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        Varint.Write((ulong)message.CalculateSize(), writer);
        message.WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The message a frame that was accepted carries (its length prefix skipped).</summary>
    private static IdentifyMessage ParseBody(byte[] frame)
    {
        ulong length = Varint.Read(frame, out int read);
        return IdentifyMessage.Parser.ParseFrom(frame.AsSpan(read, (int)length));
    }

    private static Multiaddr? TryParse(ByteString bytes)
    {
        try
        {
            return Multiaddr.FromBytes(bytes.Span);
        }
        catch (MultiformatsException)
        {
            return null;
        }
    }

    private sealed class FakeConnection(PeerId remotePeer, Multiaddr remoteAddress) : IConnection
    {
        public PeerId RemotePeer => remotePeer;

        public Multiaddr RemoteAddress => remoteAddress;

        public Multiaddr LocalAddress => remoteAddress;

        public bool IsInitiator => false;

        public CancellationToken Closed => CancellationToken.None;

        public ValueTask<IStream> NewStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public ValueTask CloseAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class FakeStream(PipeReader input, IConnection connection) : IStream
    {
        public PipeReader Input => input;

        public PipeWriter Output { get; } = new Pipe().Writer;

        public long Id => 1;

        public string Protocol => IdentifyService.PushProtocolId;

        public IConnection Connection => connection;

        public void Reset(StreamErrorCode code = StreamErrorCode.Cancelled)
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
