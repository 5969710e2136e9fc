using System.Buffers;
using System.Text;
using Helia.Multiformats;

namespace Helia.Libp2p.Negotiation;

/// <summary>
/// The multistream-select 1.0 message codec: pure functions, no I/O.
/// A message is | uvarint length | UTF-8 text | '\n' |, where the length counts the text and the newline.
/// </summary>
public static class MultistreamMessage
{
    /// <summary>The largest message we read (the length includes the trailing newline).</summary>
    public const int MaxMessageLength = 1024;

    public const string Header = "/multistream/1.0.0";
    public const string NotAvailable = "na";
    public const string List = "ls";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Reads one message if it is complete and moves <paramref name="buffer"/> past it; returns false when more bytes are
    /// needed (the buffer is left unchanged). Throws <see cref="MultistreamException"/> for an over-long, empty,
    /// unterminated or non-UTF-8 message, checking the length before any of the body is waited for.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out string message)
    {
        message = string.Empty;
        ReadOnlySequence<byte> rest = buffer;
        ulong length;
        try
        {
            if (!Varint.TryRead(ref rest, out length))
            {
                return false;
            }
        }
        catch (VarintException ex)
        {
            throw new MultistreamException("Malformed multistream length prefix.", ex);
        }

        if (length is 0 or > MaxMessageLength)
        {
            throw new MultistreamException($"Multistream message of {length} bytes is outside 1..{MaxMessageLength}.");
        }

        if (rest.Length < (long)length)
        {
            return false;
        }

        ReadOnlySequence<byte> body = rest.Slice(0, (long)length);
        Span<byte> bytes = stackalloc byte[(int)length];
        body.CopyTo(bytes);
        if (bytes[^1] != (byte)'\n')
        {
            throw new MultistreamException("Multistream message does not end with a newline.");
        }

        try
        {
            message = s_strictUtf8.GetString(bytes[..^1]);
        }
        catch (DecoderFallbackException ex)
        {
            throw new MultistreamException("Multistream message is not valid UTF-8.", ex);
        }

        buffer = rest.Slice(body.End);
        return true;
    }

    /// <summary>Writes <paramref name="message"/> framed as a multistream message.</summary>
    public static void Write(IBufferWriter<byte> writer, string message)
    {
        int textLength = s_strictUtf8.GetByteCount(message);
        if (textLength + 1 > MaxMessageLength)
        {
            throw new ArgumentException($"Multistream message of {textLength + 1} bytes exceeds {MaxMessageLength}.", nameof(message));
        }

        Varint.Write((ulong)(textLength + 1), writer);
        Span<byte> span = writer.GetSpan(textLength + 1);
        s_strictUtf8.GetBytes(message, span);
        span[textLength] = (byte)'\n';
        writer.Advance(textLength + 1);
    }

    /// <summary>Writes the answer to <c>ls</c>: one message holding each protocol as a message, then a newline.</summary>
    public static void WriteList(IBufferWriter<byte> writer, IEnumerable<string> protocols)
    {
        var inner = new ArrayBufferWriter<byte>();
        foreach (string protocol in protocols)
        {
            Write(inner, protocol);
        }

        inner.GetSpan(1)[0] = (byte)'\n';
        inner.Advance(1);
        Varint.Write((ulong)inner.WrittenCount, writer);
        writer.Write(inner.WrittenSpan);
    }
}
