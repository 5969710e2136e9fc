using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using CsCheck;
using Google.Protobuf;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Security.Noise;
using Helia.Multiformats;
using Microsoft.Extensions.Logging.Abstractions;
using NoiseHandshakePayload = Helia.Libp2p.Protos.NoiseHandshakePayload;

namespace Helia.Libp2p.Tests.Security;

/// <summary>
/// Random, mutated and truncated Noise input: handshake messages, handshake payloads with garbage identity keys and
/// signatures (of every key type), wire frames and transport frames. Every handshake message is authenticated, so a
/// changed one is refused; a garbage payload never authenticates anyone but the key's owner; every refusal is a
/// <see cref="NoiseException"/>, never another exception.
/// </summary>
public class NoiseBadInputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] s_key = [.. Enumerable.Range(1, NoiseCipher.KeySize).Select(i => (byte)i)];

    /// <summary>Identity keys of every type, as a handshake payload may carry them (RSA is slow to make: once).</summary>
    private static readonly Lazy<PrivateKey[]> s_identities = new(() =>
        [Ed25519PrivateKey.Generate(), RsaPrivateKey.Generate(), EcdsaPrivateKey.Generate(), Secp256k1PrivateKey.Generate()]);

    [Fact]
    public void Handshake_GarbagePayload_AuthenticatesOnlyTheSignerOrThrowsNoiseException()
    {
        using var sender = Ed25519PrivateKey.Generate();
        using var receiver = Ed25519PrivateKey.Generate();
        PeerId expected = PeerId.FromMultihash(sender.PublicKey.ToPeerIdMultihash());

        // A payload whose key and signature are each real, mutated or random, with keys of every type.
        Gen<byte[]> keyBytes = Gen.OneOf<PrivateKey>(s_identities.Value).SelectMany(key => BadInput.RandomOrMutated(64, key.PublicKey.Marshal()));
        Gen<byte[]> garbagePayload = Gen.Select(keyBytes, BadInput.RandomBytes(80), (key, signature) => new NoiseHandshakePayload
        {
            IdentityKey = ByteString.CopyFrom(key),
            IdentitySig = ByteString.CopyFrom(signature),
        }.ToByteArray());
        Gen.Select(Gen.Bool, Gen.Int[0, 2], garbagePayload, BadInput.RandomBytes(64), BadInput.Mutation).Sample(
            (initiatorSends, kind, payload, random, mutate) =>
            {
                using var senderStatic = new NoiseStaticKey(sender);
                using var receiverStatic = new NoiseStaticKey(receiver);
                senderStatic.Payload = kind switch
                {
                    0 => payload,
                    1 => random,
                    _ => mutate(senderStatic.Payload),   // the real signed payload, mutated
                };
                using var initiator = new NoiseHandshake(initiatorSends ? senderStatic : receiverStatic, isInitiator: true);
                using var responder = new NoiseHandshake(initiatorSends ? receiverStatic : senderStatic, isInitiator: false);
                NoiseHandshake receiving = initiatorSends ? responder : initiator;

                BadInput.ParsesOrThrows<NoiseException>(() =>
                {
                    responder.ReadMessage1(initiator.WriteMessage1());
                    initiator.ReadMessage2(responder.WriteMessage2());
                    responder.ReadMessage3(initiator.WriteMessage3());
                    Assert.Equal(expected, receiving.RemotePeer);
                    Assert.Equal(sender.PublicKey, receiving.RemoteIdentity);
                });
            },
            iter: 300);
    }

    [Fact]
    public void Handshake_MutatedMessage2Or3_IsRefusedWithNoiseException()
    {
        using var initiatorKey = Ed25519PrivateKey.Generate();
        using var responderKey = Ed25519PrivateKey.Generate();
        Gen.Select(Gen.Bool, BadInput.Mutation).Sample(
            (third, mutate) =>
            {
                using var initiatorStatic = new NoiseStaticKey(initiatorKey);
                using var responderStatic = new NoiseStaticKey(responderKey);
                using var initiator = new NoiseHandshake(initiatorStatic, isInitiator: true);
                using var responder = new NoiseHandshake(responderStatic, isInitiator: false);
                responder.ReadMessage1(initiator.WriteMessage1());
                byte[] message2 = responder.WriteMessage2();
                if (!third)
                {
                    byte[] changed = mutate(message2);
                    if (!changed.AsSpan().SequenceEqual(message2))
                    {
                        Assert.Throws<NoiseException>(() => initiator.ReadMessage2(changed));
                    }

                    return;
                }

                initiator.ReadMessage2(message2);
                byte[] message3 = initiator.WriteMessage3();
                byte[] changed3 = mutate(message3);
                if (!changed3.AsSpan().SequenceEqual(message3))
                {
                    Assert.Throws<NoiseException>(() => responder.ReadMessage3(changed3));
                }
            },
            iter: 300);
    }

    [Fact]
    public void Handshake_RandomMessages_AreRefusedWithNoiseException()
    {
        using var key = Ed25519PrivateKey.Generate();
        Gen.Select(Gen.Int[1, 3], BadInput.RandomBytes(200)).Sample(
            (step, bytes) =>
            {
                using var staticKey = new NoiseStaticKey(key);
                using var initiator = new NoiseHandshake(staticKey, isInitiator: true);
                using var responder = new NoiseHandshake(staticKey, isInitiator: false);
                switch (step)
                {
                    case 1:
                        // Message 1 is an unauthenticated ephemeral key (and ignored payload): a bad key shows when it is used.
                        BadInput.ParsesOrThrows<NoiseException>(() =>
                        {
                            responder.ReadMessage1(bytes);
                            responder.WriteMessage2();
                        });
                        break;
                    case 2:
                        initiator.WriteMessage1();
                        Assert.Throws<NoiseException>(() => initiator.ReadMessage2(bytes));
                        break;
                    default:
                        responder.ReadMessage1(initiator.WriteMessage1());
                        initiator.ReadMessage2(responder.WriteMessage2());
                        Assert.Throws<NoiseException>(() => responder.ReadMessage3(bytes));
                        break;
                }
            },
            iter: 300);
    }

    [Fact]
    public void FrameTryRead_RandomBytes_SlicesExactlyTheAnnouncedLength()
    {
        BadInput.RandomBytes(40).Sample(
            bytes =>
            {
                var buffer = new ReadOnlySequence<byte>(bytes);
                bool complete = bytes.Length >= NoiseFrame.HeaderSize && bytes.Length >= NoiseFrame.HeaderSize + BinaryPrimitives.ReadUInt16BigEndian(bytes);
                Assert.Equal(complete, NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message));
                if (complete)
                {
                    Assert.Equal(bytes[NoiseFrame.HeaderSize..(NoiseFrame.HeaderSize + (int)message.Length)], message.ToArray());
                    Assert.Equal(bytes.Length - NoiseFrame.HeaderSize - message.Length, buffer.Length);
                }
            },
            iter: 2000);
    }

    [Fact]
    public async Task FrameReader_RandomOrMutatedFrames_ReadsOnlyAuthenticPlaintextOrThrowsNoiseException()
    {
        byte[] plaintext = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] valid = await EncryptAsync(plaintext[..100], plaintext[100..110], plaintext[110..]);
        await BadInput.RandomOrMutated(80, valid).SampleAsync(
            async bytes =>
            {
                using var cipher = new NoiseCipher(s_key);
                var reader = new NoiseFrameReader(BadInput.ReaderOf(bytes), cipher, NullLogger.Instance);
                var read = new List<byte>();
                await BadInput.ParsesOrThrowsAsync<NoiseException>(
                    async () =>
                    {
                        while (true)
                        {
                            ReadResult result = await reader.ReadAsync();
                            read.AddRange(result.Buffer.ToArray());
                            reader.AdvanceTo(result.Buffer.End);
                            if (result.IsCompleted)
                            {
                                return;
                            }
                        }
                    },
                    s_timeout);
                await reader.CompleteAsync();

                // Each frame is authenticated: whatever was read is the start of the real plaintext.
                Assert.Equal(plaintext[..read.Count], read.ToArray());
            },
            iter: 500);
    }

    private static async Task<byte[]> EncryptAsync(params byte[][] writes)
    {
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var cipher = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, cipher);
        foreach (byte[] write in writes)
        {
            await writer.WriteAsync(write);
        }

        await writer.CompleteAsync();
        ReadResult result = await wire.Reader.ReadAsync();
        byte[] bytes = result.Buffer.ToArray();
        wire.Reader.AdvanceTo(result.Buffer.End);
        return bytes;
    }
}
