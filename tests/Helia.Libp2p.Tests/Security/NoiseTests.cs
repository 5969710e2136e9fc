using System.Buffers;
using System.IO.Pipelines;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Security;
using Helia.Libp2p.Security.Noise;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Security;

public class NoiseTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void SymmetricState_Initial_HashesProtocolNameWithEmptyPrologue()
    {
        using var state = new NoiseSymmetricState();

        byte[] expected = System.Security.Cryptography.SHA256.HashData("Noise_XX_25519_ChaChaPoly_SHA256"u8);
        Assert.Equal(expected, state.HandshakeHash.ToArray());
    }

    [Fact]
    public void Hkdf_NonEmptyInput_MatchesRfc5869WithChainingKeyAsSalt()
    {
        byte[] ck = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        byte[] ikm = [.. Enumerable.Range(100, 32).Select(i => (byte)i)];
        byte[] output = new byte[64];

        NoiseSymmetricState.Hkdf(ck, ikm, output);

        Assert.Equal(System.Security.Cryptography.HKDF.DeriveKey(System.Security.Cryptography.HashAlgorithmName.SHA256, ikm, 64, ck, []), output);
    }

    [Fact]
    public void Cipher_NonceEncoding_MatchesChaCha20Poly1305WithLittleEndianCounter()
    {
        byte[] key = new byte[32];
        key[0] = 7;
        using var cipher = new NoiseCipher(key);
        byte[] first = new byte[3 + 16];
        byte[] second = new byte[3 + 16];
        cipher.Encrypt("abc"u8, first, []);
        cipher.Encrypt("abc"u8, second, []);

        byte[] nonce = new byte[12];
        nonce[4] = 1;                                   // counter 1, little-endian after 4 zero bytes
        using var reference = new System.Security.Cryptography.ChaCha20Poly1305(key);
        byte[] expected = new byte[3];
        byte[] tag = new byte[16];
        reference.Encrypt(nonce, "abc"u8, expected, tag);
        Assert.Equal([.. expected, .. tag], second);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task SecureAsync_TwoPeers_AuthenticateEachOtherAndCarryData()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var listenerKey = Ed25519PrivateKey.Generate();
        (SecureChannel dialer, SecureChannel listener) = await HandshakeAsync(dialerKey, listenerKey, PeerOf(listenerKey), ct);
        await using (dialer)
        await using (listener)
        {
            Assert.Equal(PeerOf(listenerKey), dialer.RemotePeer);
            Assert.Equal(PeerOf(dialerKey), listener.RemotePeer);
            Assert.Equal(dialerKey.PublicKey.Marshal(), listener.RemotePublicKey.ToArray());

            byte[] payload = new byte[300_000];                 // several frames of at most 65535 bytes
            new Random(1).NextBytes(payload);
            Task send = dialer.Output.WriteAsync(payload, ct).AsTask();
            ReadResult result = await listener.Input.ReadAtLeastAsync(payload.Length, ct).AsTask().WaitAsync(s_timeout, ct);
            await send;
            Assert.Equal(payload, result.Buffer.Slice(0, payload.Length).ToArray());
            listener.Input.AdvanceTo(result.Buffer.GetPosition(payload.Length));

            await listener.Output.WriteAsync("pong"u8.ToArray(), ct);
            ReadResult reply = await dialer.Input.ReadAtLeastAsync(4, ct).AsTask().WaitAsync(s_timeout, ct);
            Assert.Equal("pong"u8.ToArray(), reply.Buffer.ToArray());
            dialer.Input.AdvanceTo(reply.Buffer.End);
        }
    }

    [Fact]
    public async Task SecureAsync_RemoteUsesSecp256k1Identity_Verifies()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var listenerKey = Secp256k1PrivateKey.Generate();

        (SecureChannel dialer, SecureChannel listener) = await HandshakeAsync(dialerKey, listenerKey, null, ct);
        await using (dialer)
        await using (listener)
        {
            Assert.Equal(PeerOf(listenerKey), dialer.RemotePeer);
        }
    }

    [Fact]
    public async Task SecureAsync_WrongExpectedPeer_FailsNamingBothPeers()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var listenerKey = Ed25519PrivateKey.Generate();
        using var otherKey = Ed25519PrivateKey.Generate();

        var error = await Assert.ThrowsAsync<PeerIdMismatchException>(() => HandshakeAsync(dialerKey, listenerKey, PeerOf(otherKey), ct));

        Assert.Contains(PeerOf(otherKey).ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(PeerOf(listenerKey).ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecureAsync_BadSignature_Fails()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var listenerKey = Ed25519PrivateKey.Generate();
        using var listenerNoise = new NoiseProtocol(listenerKey);
        byte[] payload = listenerNoise.Payload;
        payload[^1] ^= 1;                               // the last byte belongs to the signature
        listenerNoise.Payload = payload;
        using var dialerNoise = new NoiseProtocol(dialerKey);
        var pair = new DuplexPipePair();

        Task<SecureChannel> listening = listenerNoise.SecureAsync(pair.B, false, null, ct).AsTask();
        var error = await Assert.ThrowsAsync<NoiseException>(() => dialerNoise.SecureAsync(pair.A, true, null, ct).AsTask().WaitAsync(s_timeout, ct));

        Assert.Contains("signature", error.Message, StringComparison.OrdinalIgnoreCase);
        await pair.A.Output.CompleteAsync();
        await Assert.ThrowsAsync<NoiseException>(() => listening.WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task SecureAsync_GarbageInsteadOfMessage2_Fails()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var dialerNoise = new NoiseProtocol(dialerKey);
        var pair = new DuplexPipePair();

        Task<SecureChannel> dialing = dialerNoise.SecureAsync(pair.A, true, null, ct).AsTask();
        byte[] garbage = new byte[2 + 200];
        new Random(2).NextBytes(garbage);
        garbage[0] = 0;
        garbage[1] = 200;
        await pair.B.Output.WriteAsync(garbage, ct);

        await Assert.ThrowsAsync<NoiseException>(() => dialing.WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task SecureAsync_ConnectionClosedMidHandshake_Fails()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var listenerKey = Ed25519PrivateKey.Generate();
        using var listenerNoise = new NoiseProtocol(listenerKey);
        var pair = new DuplexPipePair();

        Task<SecureChannel> listening = listenerNoise.SecureAsync(pair.B, false, null, ct).AsTask();
        await pair.A.Output.WriteAsync(new byte[] { 0, 32, 1, 2, 3 }, ct);
        await pair.A.Output.CompleteAsync();

        await Assert.ThrowsAsync<NoiseException>(() => listening.WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task Channel_TamperedFrame_FailsTheReaderWithNoiseException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var dialerKey = Ed25519PrivateKey.Generate();
        using var listenerKey = Ed25519PrivateKey.Generate();
        using var dialerNoise = new NoiseProtocol(dialerKey);
        using var listenerNoise = new NoiseProtocol(listenerKey);
        var pair = new DuplexPipePair();
        var tamper = new TamperingPipe(pair.A);

        Task<SecureChannel> listening = listenerNoise.SecureAsync(pair.B, false, null, ct).AsTask();
        SecureChannel dialer = await dialerNoise.SecureAsync(tamper, true, null, ct).AsTask().WaitAsync(s_timeout, ct);
        SecureChannel listener = await listening.WaitAsync(s_timeout, ct);
        await using (dialer)
        await using (listener)
        {
            tamper.FlipNextByte = true;
            await dialer.Output.WriteAsync("secret"u8.ToArray(), ct);

            await Assert.ThrowsAsync<NoiseException>(async () => await listener.Input.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct));
        }
    }

    [Fact]
    public void Frame_TryRead_WaitsForTheWholeFrame()
    {
        byte[] bytes = [0x00, 0x03, 1, 2, 3, 0x00];
        var partial = new ReadOnlySequence<byte>(bytes, 0, 4);
        Assert.False(NoiseFrame.TryRead(ref partial, out _));

        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.True(NoiseFrame.TryRead(ref whole, out ReadOnlySequence<byte> message));
        Assert.Equal(new byte[] { 1, 2, 3 }, message.ToArray());
        Assert.Equal(1, whole.Length);
    }

    private static PeerId PeerOf(PrivateKey key) => PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash());

    private static async Task<(SecureChannel Dialer, SecureChannel Listener)> HandshakeAsync(
        PrivateKey dialerKey, PrivateKey listenerKey, PeerId? expected, CancellationToken ct)
    {
        var dialerNoise = new NoiseProtocol(dialerKey);
        var listenerNoise = new NoiseProtocol(listenerKey);
        var pair = new DuplexPipePair();
        Task<SecureChannel> listening = listenerNoise.SecureAsync(pair.B, false, null, ct).AsTask();
        SecureChannel dialer;
        try
        {
            dialer = await dialerNoise.SecureAsync(pair.A, true, expected, ct).AsTask().WaitAsync(s_timeout, ct);
        }
        catch
        {
            await pair.A.Output.CompleteAsync();
            throw;
        }

        return (dialer, await listening.WaitAsync(s_timeout, ct));
    }

    /// <summary>Passes writes through, flipping one byte of the next write when asked.</summary>
    private sealed class TamperingPipe(IDuplexPipe inner) : IDuplexPipe
    {
        private readonly TamperingWriter _writer = new(inner.Output);

        public bool FlipNextByte
        {
            get => _writer.Flip;
            set => _writer.Flip = value;
        }

        public PipeReader Input => inner.Input;

        public PipeWriter Output => _writer;

        private sealed class TamperingWriter(PipeWriter inner) : PipeWriter
        {
            private Memory<byte> _last;

            public bool Flip { get; set; }

            public override void Advance(int bytes)
            {
                if (Flip && bytes > 4)
                {
                    _last.Span[4] ^= 0x01;
                    Flip = false;
                }

                inner.Advance(bytes);
            }

            public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

            public override Span<byte> GetSpan(int sizeHint = 0) => (_last = inner.GetMemory(sizeHint)).Span;

            public override void CancelPendingFlush() => inner.CancelPendingFlush();

            public override void Complete(Exception? exception = null) => inner.Complete(exception);

            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
        }
    }
}
