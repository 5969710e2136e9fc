using System.Buffers.Binary;
using System.IO.Pipelines;
using CsCheck;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Tests.Host;

namespace Helia.Libp2p.Tests.Muxing.Yamux;

/// <summary>
/// Random headers and random frame sequences against the yamux codec and a live session: a header is read exactly when
/// its version and type are known, and whatever a peer sends, the session ends cleanly or with a logged
/// <see cref="YamuxException"/>, never another exception and never a hang.
/// </summary>
public class YamuxBadInputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    /// <summary>Frames as a hostile peer might send them: mostly known types and small ids, sometimes anything.</summary>
    private static readonly Gen<byte[]> s_frame = Gen.Select(
        Gen.Frequency((19, Gen.Const((byte)0)), (1, Gen.Byte)),
        Gen.Frequency((9, Gen.Byte[0, 3]), (1, Gen.Byte)),
        Gen.OneOf(Gen.Const<ushort>(0), Gen.Const<ushort>(1), Gen.Const<ushort>(2), Gen.Const<ushort>(4), Gen.Const<ushort>(8), Gen.UShort),
        Gen.Frequency((8, Gen.UInt[0, 6]), (1, Gen.UInt)),
        Gen.Frequency((6, Gen.UInt[0, 64]), (1, Gen.Const(uint.MaxValue)), (1, Gen.UInt)),
        Gen.Byte.Array[0, 64],
        (version, type, flags, streamId, length, payload) =>
        {
            byte[] frame = new byte[YamuxHeader.Size + (type == 0 ? (int)Math.Min(length, (uint)payload.Length) : 0)];
            frame[0] = version;
            frame[1] = type;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), flags);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), streamId);
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), length);
            payload.AsSpan(0, frame.Length - YamuxHeader.Size).CopyTo(frame.AsSpan(YamuxHeader.Size));
            return frame;
        });

    [Fact]
    public void Read_RandomBytes_ReadsExactlyTheKnownVersionAndTypes()
    {
        Gen.Byte.Array[YamuxHeader.Size].Sample(
            bytes =>
            {
                bool known = bytes[0] == YamuxHeader.Version && bytes[1] <= (byte)YamuxFrameType.GoAway;
                try
                {
                    YamuxHeader header = YamuxHeader.Read(bytes);
                    Assert.True(known, $"version {bytes[0]}, type {bytes[1]} was read");
                    Assert.Equal((YamuxFrameType)bytes[1], header.Type);
                    Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)), (ushort)header.Flags);
                    Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4)), header.StreamId);
                    Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8)), header.Length);
                }
                catch (YamuxException ex)
                {
                    Assert.False(known, $"version {bytes[0]}, type {bytes[1]} was refused: {ex.Message}");
                    Assert.Equal(YamuxError.ProtocolError, ex.Error);
                }
            },
            iter: 2000);
    }

    [Fact]
    public async Task Session_RandomFrames_EndsCleanlyOrWithALoggedYamuxException()
    {
        await Gen.OneOf(s_frame.Array[1, 12].Select(frames => frames.SelectMany(frame => frame).ToArray()), BadInput.RandomBytes(64))
            .SampleAsync(bytes => FeedSessionAsync(bytes, readStreams: false), iter: 300);
    }

    [Fact]
    public async Task Session_RandomFramesWhileStreamsAreAcceptedAndRead_EveryStreamAndTheSessionEnd()
    {
        await s_frame.Array[1, 12].Select(frames => frames.SelectMany(frame => frame).ToArray())
            .SampleAsync(bytes => FeedSessionAsync(bytes, readStreams: true), iter: 300);
    }

    /// <summary>
    /// Feeds <paramref name="bytes"/> to a responder session, ends the channel, and checks how the session ended; with
    /// <paramref name="readStreams"/>, every stream the peer opens is accepted and read to its end meanwhile, and each
    /// read must end (with the data, a reset or the session's end) within the time limit.
    /// </summary>
    private static async Task FeedSessionAsync(byte[] bytes, bool readStreams)
    {
        var toSession = new Pipe();
        var fromSession = new Pipe(new PipeOptions(pauseWriterThreshold: 0));  // nobody reads what the session answers
        var logger = new ListLogger<YamuxMuxer>();
        var session = (YamuxConnection)new YamuxMuxer(logger: logger).Start(new Duplex(toSession.Reader, fromSession.Writer), isInitiator: false);
        await using (session)
        {
            Task accepting = readStreams ? AcceptAndReadAsync(session) : Task.CompletedTask;
            await toSession.Writer.WriteAsync(bytes);
            await toSession.Writer.CompleteAsync();

            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (session.Closed.Register(() => closed.TrySetResult()))
            {
                await closed.Task.WaitAsync(s_timeout);
            }

            Exception? reason = session.CloseReason;
            if (reason is not null)
            {
                Assert.True(reason is YamuxException, $"The session ended with {reason.GetType().Name}: {reason}");
                Assert.True(
                    logger.Lines.Any(line => line.Contains("Yamux session aborted", StringComparison.Ordinal) && line.Contains(reason.Message, StringComparison.Ordinal)),
                    $"No log line gives the reason \"{reason.Message}\"; logged: {string.Join(" | ", logger.Lines)}");
            }

            await accepting.WaitAsync(s_timeout);
        }
    }

    private static async Task AcceptAndReadAsync(YamuxConnection session)
    {
        var readers = new List<Task>();
        try
        {
            while (true)
            {
                readers.Add(ReadToEndAsync(await session.AcceptStreamAsync(default)));
            }
        }
        catch (YamuxException ex) when (ex.Error == YamuxError.SessionClosed)
        {
        }

        await Task.WhenAll(readers);
    }

    /// <summary>Reads a stream to its end, answering with a few bytes; a reset (or the session's end) also ends it.</summary>
    private static async Task ReadToEndAsync(IMuxedStream stream)
    {
        await using (stream)
        {
            try
            {
                await stream.Output.WriteAsync("ok"u8.ToArray());
                await stream.Output.CompleteAsync();
                while (true)
                {
                    ReadResult result = await stream.Input.ReadAsync();
                    stream.Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is StreamResetException or YamuxException)
            {
            }
        }
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
