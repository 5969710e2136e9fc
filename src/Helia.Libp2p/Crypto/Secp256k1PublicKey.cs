using System.Numerics;
using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>
/// A secp256k1 public key: a 33-byte compressed point (65-byte uncompressed points are read too);
/// signatures are DER ECDSA over SHA-256, as in Bitcoin's library.
/// </summary>
public sealed class Secp256k1PublicKey : PublicKey
{
    public const int CompressedSize = 33;
    public const int UncompressedSize = 65;
    private const int CoordinateSize = 32;

    /// <summary>The field prime p = 2^256 - 2^32 - 977.</summary>
    private static readonly BigInteger s_p = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", System.Globalization.NumberStyles.HexNumber);

    private readonly ECParameters _parameters;

    public Secp256k1PublicKey(ReadOnlySpan<byte> data)
        : base(data.ToArray())
    {
        (byte[] x, byte[] y) = DecodePoint(data);
        _parameters = new ECParameters { Curve = Curve, Q = new ECPoint { X = x, Y = y } };
    }

    public override KeyType Type => KeyType.Secp256k1;

    internal static ECCurve Curve { get; } = ECCurve.CreateFromValue("1.3.132.0.10");

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            using ECDsa ecdsa = ECDsa.Create(_parameters);
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The compressed form (0x02 or 0x03 by the parity of y, then x).</summary>
    internal static byte[] Compress(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        byte[] compressed = new byte[CompressedSize];
        compressed[0] = (byte)(0x02 | (y[^1] & 1));
        x.CopyTo(compressed.AsSpan(1));
        return compressed;
    }

    private static (byte[] X, byte[] Y) DecodePoint(ReadOnlySpan<byte> data)
    {
        if (data.Length == UncompressedSize && data[0] == 0x04)
        {
            byte[] ux = data.Slice(1, CoordinateSize).ToArray();
            byte[] uy = data.Slice(1 + CoordinateSize).ToArray();
            BigInteger px = new(ux, isUnsigned: true, isBigEndian: true);
            BigInteger py = new(uy, isUnsigned: true, isBigEndian: true);
            if (px >= s_p || py >= s_p || BigInteger.ModPow(py, 2, s_p) != CurveRightSide(px))
            {
                throw new KeyFormatException("The secp256k1 point is not on the curve.");
            }

            return (ux, uy);
        }

        if (data.Length != CompressedSize || data[0] is not (0x02 or 0x03))
        {
            throw new KeyFormatException($"A secp256k1 public key is a {CompressedSize}-byte compressed point, got {data.Length} bytes.");
        }

        var x = new BigInteger(data[1..], isUnsigned: true, isBigEndian: true);
        if (x >= s_p)
        {
            throw new KeyFormatException("The secp256k1 x coordinate is out of range.");
        }

        // p = 3 (mod 4), so a square root of a is a^((p+1)/4).
        BigInteger rhs = CurveRightSide(x);
        BigInteger y = BigInteger.ModPow(rhs, (s_p + 1) / 4, s_p);
        if (BigInteger.ModPow(y, 2, s_p) != rhs)
        {
            throw new KeyFormatException("The secp256k1 point is not on the curve.");
        }

        if ((y.IsEven ? 0x02 : 0x03) != data[0])
        {
            y = s_p - y;
        }

        return (data[1..].ToArray(), ToFixed(y));
    }

    // y^2 = x^3 + 7 (mod p)
    private static BigInteger CurveRightSide(BigInteger x) => (BigInteger.ModPow(x, 3, s_p) + 7) % s_p;

    private static byte[] ToFixed(BigInteger value)
    {
        byte[] bytes = new byte[CoordinateSize];
        value.TryWriteBytes(bytes.AsSpan(CoordinateSize - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
