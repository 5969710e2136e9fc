using Helia.Libp2p.Crypto;
using NSec.Cryptography;

namespace Helia.Libp2p.Security.Noise;

/// <summary>A Noise static X25519 key and its signed handshake payload, made once per <see cref="NoiseProtocol"/>.</summary>
internal sealed class NoiseStaticKey : IDisposable
{
    public NoiseStaticKey(PrivateKey identity)
    {
        Key = Key.Create(KeyAgreementAlgorithm.X25519);
        PublicBytes = Key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Payload = NoiseHandshake.CreatePayload(identity, PublicBytes);
    }

    public Key Key { get; }

    public byte[] PublicBytes { get; }

    /// <summary>The serialized NoiseHandshakePayload (identity key + signature); replaceable by tests.</summary>
    public byte[] Payload { get; internal set; }

    public void Dispose() => Key.Dispose();
}
