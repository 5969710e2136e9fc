using Microsoft.Extensions.Logging;

namespace Helia.Bitswap;

/// <summary>
/// The one place for the rare true fire-and-forget work (provider searches, dials): tasks are kept until they end,
/// faults are logged, and <see cref="DisposeAsync"/> waits for whatever is still running.
/// </summary>
internal sealed partial class BackgroundTasks(ILogger logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];

    public void Run(Task task, string what)
    {
        lock (_lock)
        {
            _running.Add(task);
        }

        task.ContinueWith(
            static (t, state) =>
            {
                var (self, name) = ((BackgroundTasks, string))state!;
                if (t.IsFaulted)
                {
                    Log.TaskFailed(self._logger, name, t.Exception!.GetBaseException());
                }

                lock (self._lock)
                {
                    self._running.Remove(t);
                }
            },
            (this, what),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private readonly ILogger _logger = logger;

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        try
        {
            await Task.WhenAll(running);
        }
        catch (Exception)
        {
            // Already logged by the continuation.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Background {What} failed")]
        public static partial void TaskFailed(ILogger logger, string what, Exception exception);
    }
}
