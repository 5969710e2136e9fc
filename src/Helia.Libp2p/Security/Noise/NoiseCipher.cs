using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// One direction's ChaChaPoly cipher state (Noise spec §5.1): a key and a 64-bit counter nonce, encoded as
/// 4 zero bytes followed by the counter in little-endian. Allocation-free per message.
/// </summary>
internal sealed class NoiseCipher : IDisposable
{
    public const int KeySize = 32;
    public const int TagSize = 16;
    private const int NonceSize = 12;

    private readonly ChaCha20Poly1305 _aead;
    private ulong _nonce;

    public NoiseCipher(ReadOnlySpan<byte> key)
    {
        _aead = new ChaCha20Poly1305(key);
    }

    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
    {
        Span<byte> nonce = stackalloc byte[NonceSize];
        NextNonce(nonce);
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagSize), associatedData);
    }

    /// <summary>Decrypts <paramref name="ciphertext"/> (with its tag) into <paramref name="destination"/>; throws <see cref="NoiseException"/> when it fails authentication.</summary>
    public void Decrypt(ReadOnlySpan<byte> ciphertext, Span<byte> destination, ReadOnlySpan<byte> associatedData)
    {
        if (ciphertext.Length < TagSize)
        {
            throw new NoiseException($"Noise ciphertext of {ciphertext.Length} bytes is shorter than its {TagSize}-byte tag.");
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        NextNonce(nonce);
        int length = ciphertext.Length - TagSize;
        try
        {
            _aead.Decrypt(nonce, ciphertext[..length], ciphertext[length..], destination[..length], associatedData);
        }
        catch (CryptographicException ex)
        {
            throw new NoiseException("A Noise message failed authentication (tampered, reordered or wrong key).", ex);
        }
    }

    public void Dispose() => _aead.Dispose();

    private void NextNonce(Span<byte> nonce)
    {
        if (_nonce == ulong.MaxValue)
        {
            throw new NoiseException("The Noise nonce is exhausted; the connection must be closed.");
        }

        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], _nonce++);
    }
}
