using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Helia.Multiformats;

namespace Helia.Libp2p.Protocols;

/// <summary>
/// A protobuf message behind an unsigned-varint length, as identify (and most libp2p protocols) send them.
/// The length is checked against the limit before any of the body is waited for.
/// </summary>
internal static class LengthPrefixedMessage
{
    /// <summary>Reads one message; null when the stream ended cleanly before its first byte.</summary>
    public static async ValueTask<T?> ReadAsync<T>(PipeReader input, MessageParser<T> parser, int maxLength, string protocolId, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            ReadOnlySequence<byte> rest = buffer;
            bool haveLength;
            ulong length;
            try
            {
                haveLength = Varint.TryRead(ref rest, out length);
            }
            catch (VarintException ex)
            {
                input.AdvanceTo(buffer.Start);
                throw new Libp2pProtocolException(protocolId, "Bad message length prefix.", ex);
            }

            if (haveLength)
            {
                if (length > (ulong)maxLength)
                {
                    input.AdvanceTo(buffer.Start);
                    throw new Libp2pProtocolException(protocolId, $"A message of {length} bytes exceeds the limit of {maxLength}.");
                }

                if (rest.Length >= (long)length)
                {
                    ReadOnlySequence<byte> body = rest.Slice(0, (long)length);
                    try
                    {
                        return parser.ParseFrom(body);
                    }
                    catch (InvalidProtocolBufferException ex)
                    {
                        throw new Libp2pProtocolException(protocolId, "Malformed protobuf message.", ex);
                    }
                    finally
                    {
                        input.AdvanceTo(body.End);
                    }
                }
            }

            if (result.IsCompleted)
            {
                input.AdvanceTo(buffer.End);
                return buffer.IsEmpty ? null : throw new Libp2pProtocolException(protocolId, "The stream ended inside a message.");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes the length and the message, then flushes.</summary>
    public static async ValueTask WriteAsync(PipeWriter output, IMessage message, CancellationToken cancellationToken)
    {
        Varint.Write((ulong)message.CalculateSize(), output);
        message.WriteTo(output);
        await output.FlushAsync(cancellationToken);
    }
}
