using System.Security.Cryptography;
using System.Text;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The Noise SymmetricState for Noise_XX_25519_ChaChaPoly_SHA256 (Noise spec §5.2): the chaining key, the handshake
/// hash and the current handshake cipher. Pure computation, no I/O.
/// </summary>
internal sealed class NoiseSymmetricState : IDisposable
{
    public const string ProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
    public const int HashSize = 32;

    private readonly byte[] _ck = new byte[HashSize];
    private readonly byte[] _h = new byte[HashSize];
    private NoiseCipher? _cipher;

    public NoiseSymmetricState()
    {
        // The name is exactly 32 bytes, so h starts as the name itself; ck = h; then MixHash(prologue = empty).
        Encoding.ASCII.GetBytes(ProtocolName, _h);
        _h.CopyTo(_ck, 0);
        MixHash([]);
    }

    /// <summary>The handshake hash (for tests and channel binding).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _h;

    public bool HasKey => _cipher is not null;

    public void MixHash(ReadOnlySpan<byte> data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_h);
        hash.AppendData(data);
        hash.GetHashAndReset(_h);
    }

    public void MixKey(ReadOnlySpan<byte> inputKeyMaterial)
    {
        Span<byte> output = stackalloc byte[2 * HashSize];
        Hkdf(_ck, inputKeyMaterial, output);
        output[..HashSize].CopyTo(_ck);
        _cipher?.Dispose();
        _cipher = new NoiseCipher(output[HashSize..]);
        CryptographicOperations.ZeroMemory(output);
    }

    /// <summary>Encrypts (once a key is set) with h as associated data, mixes the result into h; returns the bytes written.</summary>
    public int EncryptAndHash(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        int length;
        if (_cipher is null)
        {
            plaintext.CopyTo(destination);
            length = plaintext.Length;
        }
        else
        {
            _cipher.Encrypt(plaintext, destination, _h);
            length = plaintext.Length + NoiseCipher.TagSize;
        }

        MixHash(destination[..length]);
        return length;
    }

    /// <summary>Decrypts (once a key is set) with h as associated data, mixes the ciphertext into h; returns the plaintext length.</summary>
    public int DecryptAndHash(ReadOnlySpan<byte> ciphertext, Span<byte> destination)
    {
        int length;
        if (_cipher is null)
        {
            ciphertext.CopyTo(destination);
            length = ciphertext.Length;
        }
        else
        {
            _cipher.Decrypt(ciphertext, destination, _h);
            length = ciphertext.Length - NoiseCipher.TagSize;
        }

        MixHash(ciphertext);
        return length;
    }

    /// <summary>Derives the two transport ciphers: the first for initiator-to-responder, the second for the reverse.</summary>
    public (NoiseCipher InitiatorToResponder, NoiseCipher ResponderToInitiator) Split()
    {
        Span<byte> output = stackalloc byte[2 * HashSize];
        Hkdf(_ck, [], output);
        var result = (new NoiseCipher(output[..HashSize]), new NoiseCipher(output[HashSize..]));
        CryptographicOperations.ZeroMemory(output);
        return result;
    }

    /// <summary>
    /// Noise's HKDF with two outputs (spec §4.3): temp = HMAC(ck, ikm); out1 = HMAC(temp, 0x01); out2 = HMAC(temp, out1 || 0x02).
    /// Written out because OpenSSL's HKDF refuses the empty input key material that Split uses.
    /// </summary>
    internal static void Hkdf(ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> inputKeyMaterial, Span<byte> output)
    {
        Span<byte> temp = stackalloc byte[HashSize];
        Span<byte> block = stackalloc byte[HashSize + 1];
        HMACSHA256.HashData(chainingKey, inputKeyMaterial, temp);
        block[0] = 0x01;
        HMACSHA256.HashData(temp, block[..1], output[..HashSize]);
        output[..HashSize].CopyTo(block);
        block[HashSize] = 0x02;
        HMACSHA256.HashData(temp, block, output[HashSize..]);
        CryptographicOperations.ZeroMemory(temp);
        CryptographicOperations.ZeroMemory(block);
    }

    public void Dispose()
    {
        _cipher?.Dispose();
        CryptographicOperations.ZeroMemory(_ck);
    }
}
