using System.Buffers;
using System.Buffers.Binary;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The libp2p Noise wire frame: | length (16, big-endian) | message (length bytes) |; a message is at most 65535 bytes,
/// and a transport message carries at most 65535 - 16 bytes of plaintext.
/// </summary>
internal static class NoiseFrame
{
    public const int HeaderSize = 2;
    public const int MaxMessageSize = ushort.MaxValue;
    public const int MaxPlaintextSize = MaxMessageSize - NoiseCipher.TagSize;

    /// <summary>Slices out one complete frame's message and moves <paramref name="buffer"/> past it; false when more bytes are needed.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> message)
    {
        message = default;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        int length;
        if (buffer.FirstSpan.Length >= HeaderSize)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(buffer.FirstSpan);
        }
        else
        {
            Span<byte> header = stackalloc byte[HeaderSize];
            buffer.Slice(0, HeaderSize).CopyTo(header);
            length = BinaryPrimitives.ReadUInt16BigEndian(header);
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        message = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(message.End);
        return true;
    }

    public static void WriteHeader(Span<byte> destination, int messageLength)
    {
        if ((uint)messageLength > MaxMessageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(messageLength), messageLength, $"A Noise message is at most {MaxMessageSize} bytes.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)messageLength);
    }
}
