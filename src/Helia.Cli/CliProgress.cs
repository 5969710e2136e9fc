using Spectre.Console;

namespace Helia.Cli;

/// <summary>
/// The progress bar of long add and get runs, on standard error, as Kubo's: shown by default only when standard error
/// is a terminal, never with -q/-Q, and forced on or off with --progress. Bytes are counted as they pass through
/// <see cref="Wrap"/>; the bar is drawn by Spectre.Console's live renderer and removed when the run ends.
/// </summary>
internal sealed class CliProgress : IAsyncDisposable
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _render;
    private volatile ProgressTask? _bar;
    private long _bytes;

    private CliProgress(IAnsiConsole console, string description, long? total)
    {
        Progress progress = console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn());
        _render = progress.StartAsync(async context =>
        {
            ProgressTask task = context.AddTask(description, maxValue: total is > 0 ? total.Value : 1);
            task.IsIndeterminate = total is not > 0;
            task.Value = Interlocked.Read(ref _bytes);
            _bar = task;
            await _done.Task;
            task.Value = task.MaxValue;
            task.StopTask();
        });
    }

    /// <summary>
    /// Kubo's rule: an explicit --progress wins; otherwise only when standard error is this process's terminal; never
    /// when quiet.
    /// </summary>
    public static bool ShouldShow(bool? progressOption, bool quiet, TextWriter error) =>
        !quiet && (progressOption ?? (ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected));

    /// <summary>A bar on <paramref name="error"/> when <paramref name="show"/>; null otherwise.</summary>
    public static CliProgress? Start(bool show, TextWriter error, string description, long? total)
    {
        if (!show)
        {
            return null;
        }

        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return new CliProgress(console, description, total);
    }

    /// <summary>A stream that reports the bytes read through it to this bar.</summary>
    public Stream Wrap(Stream inner) => new CountingStream(inner, this);

    private void Add(int bytes)
    {
        long total = Interlocked.Add(ref _bytes, bytes);
        if (bytes > 0 && _bar is { } bar)
        {
            bar.Value = total;   // ProgressTask is thread-safe
        }
    }

    public async ValueTask DisposeAsync()
    {
        _done.TrySetResult();
        await _render;
    }

    /// <summary>Counts what is read; everything else is the inner stream's.</summary>
    private sealed class CountingStream(Stream inner, CliProgress progress) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = inner.Read(buffer, offset, count);
            progress.Add(read);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read = await inner.ReadAsync(buffer, cancellationToken);
            progress.Add(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
