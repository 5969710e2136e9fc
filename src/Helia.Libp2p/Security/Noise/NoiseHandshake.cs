using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Google.Protobuf;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Protos;
using Helia.Multiformats;
using NSec.Cryptography;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The XX handshake of libp2p Noise (specs: libp2p/noise), one instance per connection:
/// <code>
///   -> e
///   &lt;- e, ee, s, es, payload(responder)
///   -> s, se, payload(initiator)
/// </code>
/// Each payload is a NoiseHandshakePayload: the identity key and its signature over "noise-libp2p-static-key:" + static key.
/// Extensions and early data are read and ignored.
/// </summary>
internal sealed class NoiseHandshake : IDisposable
{
    public const int DhSize = 32;
    private const string SignaturePrefix = "noise-libp2p-static-key:";

    private readonly NoiseStaticKey _static;
    private readonly bool _isInitiator;
    private readonly NoiseSymmetricState _state = new();
    private readonly Key _ephemeral;
    private readonly byte[] _ephemeralPublic;
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteStatic;

    public NoiseHandshake(NoiseStaticKey staticKey, bool isInitiator)
    {
        _static = staticKey;
        _isInitiator = isInitiator;
        _ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
        _ephemeralPublic = _ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Set once the remote payload is verified.</summary>
    public Crypto.PublicKey? RemoteIdentity { get; private set; }

    public PeerId RemotePeer { get; private set; }

    /// <summary>Runs the three messages over <paramref name="pipe"/> and returns the transport ciphers (send, receive).</summary>
    public async ValueTask<(NoiseCipher Send, NoiseCipher Receive)> RunAsync(IDuplexPipe pipe, CancellationToken cancellationToken)
    {
        if (_isInitiator)
        {
            await WriteFrameAsync(pipe.Output, WriteMessage1(), cancellationToken);
            ReadMessage2(await ReadFrameAsync(pipe.Input, cancellationToken));
            await WriteFrameAsync(pipe.Output, WriteMessage3(), cancellationToken);
        }
        else
        {
            ReadMessage1(await ReadFrameAsync(pipe.Input, cancellationToken));
            await WriteFrameAsync(pipe.Output, WriteMessage2(), cancellationToken);
            ReadMessage3(await ReadFrameAsync(pipe.Input, cancellationToken));
        }

        (NoiseCipher initiatorToResponder, NoiseCipher responderToInitiator) = _state.Split();
        return _isInitiator ? (initiatorToResponder, responderToInitiator) : (responderToInitiator, initiatorToResponder);
    }

    // -> e (no payload: nothing could protect it yet)
    internal byte[] WriteMessage1()
    {
        byte[] message = new byte[DhSize];
        _ephemeralPublic.CopyTo(message, 0);
        _state.MixHash(_ephemeralPublic);
        _state.EncryptAndHash([], message.AsSpan(DhSize));
        return message;
    }

    internal void ReadMessage1(ReadOnlySpan<byte> message)
    {
        if (message.Length < DhSize)
        {
            throw new NoiseException($"Noise message 1 of {message.Length} bytes is shorter than an ephemeral key.");
        }

        _remoteEphemeral = message[..DhSize].ToArray();
        _state.MixHash(_remoteEphemeral);
        byte[] ignored = new byte[message.Length - DhSize];
        _state.DecryptAndHash(message[DhSize..], ignored);
    }

    // <- e, ee, s, es, payload
    internal byte[] WriteMessage2()
    {
        byte[] payload = _static.Payload;
        byte[] message = new byte[DhSize + DhSize + NoiseCipher.TagSize + payload.Length + NoiseCipher.TagSize];
        _ephemeralPublic.CopyTo(message, 0);
        _state.MixHash(_ephemeralPublic);
        MixDh(_ephemeral, _remoteEphemeral!);
        int offset = DhSize;
        offset += _state.EncryptAndHash(_static.PublicBytes, message.AsSpan(offset));
        MixDh(_static.Key, _remoteEphemeral!);
        offset += _state.EncryptAndHash(payload, message.AsSpan(offset));
        return message[..offset];
    }

    internal void ReadMessage2(ReadOnlySpan<byte> message)
    {
        const int staticSize = DhSize + NoiseCipher.TagSize;
        if (message.Length < DhSize + staticSize + NoiseCipher.TagSize)
        {
            throw new NoiseException($"Noise message 2 of {message.Length} bytes is too short.");
        }

        _remoteEphemeral = message[..DhSize].ToArray();
        _state.MixHash(_remoteEphemeral);
        MixDh(_ephemeral, _remoteEphemeral);
        _remoteStatic = new byte[DhSize];
        _state.DecryptAndHash(message.Slice(DhSize, staticSize), _remoteStatic);
        MixDh(_ephemeral, _remoteStatic);
        ReadPayload(message[(DhSize + staticSize)..]);
    }

    // -> s, se, payload
    internal byte[] WriteMessage3()
    {
        byte[] payload = _static.Payload;
        byte[] message = new byte[DhSize + NoiseCipher.TagSize + payload.Length + NoiseCipher.TagSize];
        int offset = _state.EncryptAndHash(_static.PublicBytes, message);
        MixDh(_static.Key, _remoteEphemeral!);
        offset += _state.EncryptAndHash(payload, message.AsSpan(offset));
        return message[..offset];
    }

    internal void ReadMessage3(ReadOnlySpan<byte> message)
    {
        const int staticSize = DhSize + NoiseCipher.TagSize;
        if (message.Length < staticSize + NoiseCipher.TagSize)
        {
            throw new NoiseException($"Noise message 3 of {message.Length} bytes is too short.");
        }

        _remoteStatic = new byte[DhSize];
        _state.DecryptAndHash(message[..staticSize], _remoteStatic);
        MixDh(_ephemeral, _remoteStatic);
        ReadPayload(message[staticSize..]);
    }

    public void Dispose()
    {
        _ephemeral.Dispose();
        _state.Dispose();
    }

    /// <summary>The signed payload for a static key: the identity key and its signature over the prefixed static key.</summary>
    internal static byte[] CreatePayload(Crypto.PrivateKey identity, ReadOnlySpan<byte> staticPublicKey) =>
        new NoiseHandshakePayload
        {
            IdentityKey = UnsafeByteOperations.UnsafeWrap(identity.PublicKey.Marshal()),
            IdentitySig = UnsafeByteOperations.UnsafeWrap(identity.Sign(SignedBytes(staticPublicKey))),
        }.ToByteArray();

    private static byte[] SignedBytes(ReadOnlySpan<byte> staticPublicKey)
    {
        byte[] prefix = Encoding.ASCII.GetBytes(SignaturePrefix);
        return [.. prefix, .. staticPublicKey];
    }

    private void ReadPayload(ReadOnlySpan<byte> ciphertext)
    {
        byte[] plaintext = new byte[ciphertext.Length - NoiseCipher.TagSize];
        _state.DecryptAndHash(ciphertext, plaintext);

        NoiseHandshakePayload payload;
        try
        {
            payload = NoiseHandshakePayload.Parser.ParseFrom(plaintext);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new NoiseException("Malformed Noise handshake payload.", ex);
        }

        if (!payload.HasIdentityKey || !payload.HasIdentitySig)
        {
            throw new NoiseException("The Noise handshake payload lacks the identity key or its signature.");
        }

        Crypto.PublicKey identity;
        try
        {
            identity = Crypto.PublicKey.Unmarshal(payload.IdentityKey.Span);
        }
        catch (KeyFormatException ex)
        {
            throw new NoiseException("The Noise handshake payload carries an unusable identity key.", ex);
        }

        if (!identity.Verify(SignedBytes(_remoteStatic), payload.IdentitySig.Span))
        {
            throw new NoiseException($"Bad signature of the Noise static key by the {identity.Type} identity key of {PeerId.FromMultihash(identity.ToPeerIdMultihash())}.");
        }

        RemoteIdentity = identity;
        RemotePeer = PeerId.FromMultihash(identity.ToPeerIdMultihash());
    }

    private void MixDh(Key privateKey, ReadOnlySpan<byte> remotePublic)
    {
        if (!NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, remotePublic, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? publicKey))
        {
            throw new NoiseException("The peer sent an invalid X25519 public key.");
        }

        using SharedSecret? secret = KeyAgreementAlgorithm.X25519.Agree(
            privateKey, publicKey!, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        if (secret is null)
        {
            throw new NoiseException("The peer's X25519 key gives a degenerate shared secret.");
        }

        byte[] shared = secret.Export(SharedSecretBlobFormat.RawSharedSecret);
        _state.MixKey(shared);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(shared);
    }

    private static async ValueTask WriteFrameAsync(PipeWriter output, byte[] message, CancellationToken cancellationToken)
    {
        Span<byte> header = output.GetSpan(NoiseFrame.HeaderSize);
        NoiseFrame.WriteHeader(header, message.Length);
        output.Advance(NoiseFrame.HeaderSize);
        output.Write(message);
        FlushResult flush = await output.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
        {
            throw new NoiseException("The connection closed during the Noise handshake.");
        }
    }

    private static async ValueTask<byte[]> ReadFrameAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message))
            {
                byte[] bytes = message.ToArray();
                input.AdvanceTo(buffer.Start);
                return bytes;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                throw new NoiseException("The connection closed during the Noise handshake.");
            }
        }
    }
}
