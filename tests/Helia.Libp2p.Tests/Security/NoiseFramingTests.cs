using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Helia.Libp2p.Security.Noise;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Tests.Security;

/// <summary>The Noise channel's framing halves on their own: one writer and one reader sharing a key over a plain pipe.</summary>
public class NoiseFramingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] s_key = [.. Enumerable.Range(1, NoiseCipher.KeySize).Select(i => (byte)i)];

    [Fact]
    public async Task Reader_FramesAndEndInOneRead_ReturnsTheDataThenCompletes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        using var send = new NoiseCipher(s_key);
        using var receive = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, send);
        await writer.WriteAsync("first"u8.ToArray(), ct);
        await writer.WriteAsync("second"u8.ToArray(), ct);
        await writer.CompleteAsync();                   // the frames and the end reach the reader together
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        byte[] all = await ReadToEndAsync(reader, ct);

        Assert.Equal("firstsecond"u8.ToArray(), all);
    }

    [Fact]
    public async Task Reader_DecryptsAheadOnlyUpToItsLimit_AndTheRestArrivesInOrder()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var send = new NoiseCipher(s_key);
        using var receive = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, send);
        byte[] payload = Pattern(4 * 1024 * 1024);
        await writer.WriteAsync(payload, ct);
        await writer.CompleteAsync();
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        ReadResult first = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);

        // Everything was received, but only about MaxDecryptedAhead is decrypted before the application consumes.
        Assert.InRange(reader.DecryptedAhead, 1, NoiseFrameReader.MaxDecryptedAhead + NoiseFrame.MaxPlaintextSize);
        Assert.Equal(reader.DecryptedAhead, first.Buffer.Length);
        reader.AdvanceTo(first.Buffer.Start);
        Assert.Equal(payload, await ReadToEndAsync(reader, ct));
    }

    [Fact]
    public async Task Reader_ApplicationExaminesWithoutConsuming_StillGetsMoreBeyondTheLimit()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var send = new NoiseCipher(s_key);
        using var receive = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, send);
        byte[] payload = Pattern(NoiseFrameReader.MaxDecryptedAhead * 3);
        await writer.WriteAsync(payload, ct);
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        // A reader waiting for a whole message larger than the limit: examines all, consumes nothing.
        long seen = 0;
        while (seen < payload.Length)
        {
            ReadResult result = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
            Assert.True(result.Buffer.Length > seen, "each read must bring new bytes");
            seen = result.Buffer.Length;
            if (seen == payload.Length)
            {
                Assert.Equal(payload, result.Buffer.ToArray());
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        await reader.CompleteAsync();
    }

    [Fact]
    public async Task Reader_CompletedWhileAReadWaits_EndsThatReadAndCompletesTheConnection()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        using var receive = new NoiseCipher(s_key);
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        ValueTask<ReadResult> pending = reader.ReadAsync(ct);
        Assert.False(pending.IsCompleted);
        reader.Complete();
        ReadResult result = await pending.AsTask().WaitAsync(s_timeout, ct);

        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
        reader.AdvanceTo(result.Buffer.End);            // harmless after completion
        FlushResult flush = await wire.Writer.WriteAsync(new byte[] { 0, 1 }, ct);
        Assert.True(flush.IsCompleted, "the connection's reader must be completed");
        Assert.Throws<InvalidOperationException>(() => reader.TryRead(out _));
    }

    [Fact]
    public async Task Reader_CancelPendingReadWhileAReadWaits_CancelsThatReadAndNoOther()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        using var send = new NoiseCipher(s_key);
        using var receive = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, send);
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        Task<ReadResult> pending = reader.ReadAsync(ct).AsTask();
        Assert.False(pending.IsCompleted);
        reader.CancelPendingRead();
        ReadResult canceled = await pending.WaitAsync(s_timeout, ct);
        Assert.True(canceled.IsCanceled);
        Assert.True(canceled.Buffer.IsEmpty);
        reader.AdvanceTo(canceled.Buffer.End);

        // The next read is not cancelled: it waits for the next frame and returns it.
        Task<ReadResult> next = reader.ReadAsync(ct).AsTask();
        await writer.WriteAsync("after"u8.ToArray(), ct);
        ReadResult after = await next.WaitAsync(s_timeout, ct);
        Assert.False(after.IsCanceled);
        Assert.Equal("after"u8.ToArray(), after.Buffer.ToArray());
        reader.AdvanceTo(after.Buffer.End);
        await reader.CompleteAsync();
    }

    [Fact]
    public async Task Reader_CancelPendingReadAtTheReadAheadLimit_CancelsOneReadOnly()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        using var send = new NoiseCipher(s_key);
        using var receive = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(wire.Writer, send);
        byte[] payload = Pattern(NoiseFrameReader.MaxDecryptedAhead * 3);
        await writer.WriteAsync(payload, ct);
        var reader = new NoiseFrameReader(wire.Reader, receive, NullLogger.Instance);

        // Decrypted up to the limit; the application examines everything and consumes nothing.
        ReadResult first = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.True(reader.DecryptedAhead >= NoiseFrameReader.MaxDecryptedAhead);
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);

        reader.CancelPendingRead();
        ReadResult canceled = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.True(canceled.IsCanceled);
        Assert.Equal(first.Buffer.Length, canceled.Buffer.Length);
        reader.AdvanceTo(canceled.Buffer.Start, canceled.Buffer.End);

        ReadResult next = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.False(next.IsCanceled, "one CancelPendingRead cancelled a second read");
        Assert.True(next.Buffer.Length > first.Buffer.Length, "the read after the cancelled one must bring new bytes");
        reader.AdvanceTo(next.Buffer.End);
        await reader.CompleteAsync();
    }

    [Fact]
    public async Task Reader_CancelPendingReadJustBeforeTheReadLooksAtTheConnection_StillCancelsThatRead()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        using var receive = new NoiseCipher(s_key);
        var hooked = new HookedReader(wire.Reader);
        var reader = new NoiseFrameReader(hooked, receive, NullLogger.Instance);

        // Another thread cancels after the read checked for a cancel and before it tries the connection, whose TryRead
        // then takes the connection's wake-up: the read must not go on to wait for bytes that never come.
        hooked.BeforeTryRead = reader.CancelPendingRead;
        ReadResult canceled = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);

        Assert.True(canceled.IsCanceled);
        reader.AdvanceTo(canceled.Buffer.End);
        await reader.CompleteAsync();
    }

    [Fact]
    public async Task Reader_CompletedJustBeforeTheReadLooksAtTheConnection_TheReadEndsCompleted()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        var hooked = new HookedReader(wire.Reader);
        var reader = new NoiseFrameReader(hooked, new NoiseCipher(s_key), NullLogger.Instance);

        // Completed from another thread after the read checked for it and before it tries the connection, whose TryRead
        // then takes Complete's wake-up: the read must end, not wait for bytes that never come.
        hooked.BeforeTryRead = () => reader.Complete();

        ReadResult result = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);

        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
        FlushResult flush = await wire.Writer.WriteAsync(new byte[] { 0, 1 }, ct);
        Assert.True(flush.IsCompleted, "the read's end must have completed the connection's reader");
    }

    [Fact]
    public async Task Channel_DisposedWhileAReadHasDataInHand_TheReadDecryptsWithALiveKeyThenEndsCompleted()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe();
        using var peerSend = new NoiseCipher(s_key);
        var peer = new NoiseFrameWriter(wire.Writer, peerSend);
        await peer.WriteAsync("late"u8.ToArray(), ct);
        var hooked = new HookedReader(wire.Reader);
        var channel = new NoiseChannel(
            new Duplex(hooked, new Pipe().Writer), new NoiseCipher(s_key), new NoiseCipher(s_key), NullLogger.Instance);

        // The channel is disposed on the read's own path, after the read has taken the frame from the connection and
        // before it decrypts it: the receiving key must outlive that read.
        hooked.OnTryRead = () =>
        {
            ValueTask dispose = channel.DisposeAsync();
            Assert.True(dispose.IsCompleted);
        };
        ReadResult result = await channel.Input.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);

        // It decrypted (no ObjectDisposedException) and, its reader completed under it, ends as a completed read.
        Assert.True(result.IsCompleted);
        Assert.True(result.Buffer.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => channel.Input.TryRead(out _));
        FlushResult flush = await wire.Writer.WriteAsync(new byte[] { 0, 1 }, ct);
        Assert.True(flush.IsCompleted, "the read's end must have completed the connection's reader");
    }

    [Fact]
    public async Task Writer_SmallWriteAfterAFlush_AsksOnlyForRoomForIt_AndBulkWritesGoOutInWholeFrames()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var wire = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var recording = new RecordingWriter(wire.Writer);
        using var send = new NoiseCipher(s_key);
        var writer = new NoiseFrameWriter(recording, send);

        await writer.WriteAsync(new byte[12], ct);
        // Room for the write (or less: Write asks with no hint), never a whole frame's 64 KiB.
        Assert.All(recording.Hints, hint => Assert.InRange(hint, 0, NoiseFrame.HeaderSize + 12 + NoiseCipher.TagSize));

        await writer.WriteAsync(new byte[5 * NoiseFrame.MaxPlaintextSize], ct);
        await writer.CompleteAsync();

        ReadResult read = await wire.Reader.ReadAsync(ct);
        ReadOnlySequence<byte> buffer = read.Buffer;
        var lengths = new List<int>();
        while (NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message))
        {
            lengths.Add((int)message.Length);
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(12 + NoiseCipher.TagSize, lengths[0]);
        // The bulk write: at most one frame cut short by the connection's buffer, then whole frames.
        Assert.True(lengths.Count(l => l == NoiseFrameWriter.FrameSize - NoiseFrame.HeaderSize) >= 4, string.Join(",", lengths));
        Assert.All(lengths, l => Assert.InRange(l, NoiseCipher.TagSize + 1, NoiseFrameWriter.FrameSize - NoiseFrame.HeaderSize));
        Assert.Equal(5 * NoiseFrame.MaxPlaintextSize, lengths.Skip(1).Sum(l => l - NoiseCipher.TagSize));
        wire.Reader.AdvanceTo(read.Buffer.End);
    }

    private static byte[] Pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i += 4)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i), i);
        }

        return bytes;
    }

    private static async Task<byte[]> ReadToEndAsync(PipeReader reader, CancellationToken ct)
    {
        var all = new List<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
            all.AddRange(result.Buffer.ToArray());
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return [.. all];
            }
        }
    }

    /// <summary>Passes everything through, recording the size hints of GetMemory/GetSpan.</summary>
    private sealed class RecordingWriter(PipeWriter inner) : PipeWriter
    {
        public List<int> Hints { get; } = [];

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            Hints.Add(sizeHint);
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;

    /// <summary>Passes everything through; runs <see cref="OnTryRead"/> once, when TryRead is about to return data.</summary>
    private sealed class HookedReader(PipeReader inner) : PipeReader
    {
        public Action? OnTryRead { get; set; }

        /// <summary>Runs once, when TryRead is called, before it looks at the inner reader.</summary>
        public Action? BeforeTryRead { get; set; }

        public override bool TryRead(out ReadResult result)
        {
            if (BeforeTryRead is { } before)
            {
                BeforeTryRead = null;
                before();
            }

            if (!inner.TryRead(out result))
            {
                return false;
            }

            if (!result.Buffer.IsEmpty && OnTryRead is { } hook)
            {
                OnTryRead = null;
                hook();
            }

            return true;
        }

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
