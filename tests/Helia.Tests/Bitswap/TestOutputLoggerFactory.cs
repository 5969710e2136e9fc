using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Helia.Tests.Bitswap;

/// <summary>
/// Keeps the log lines of Information and above (Bitswap logs why it cuts a peer off at that level) and writes them to
/// the output of the test that created it, so a failing test shows the reason next to the failure.
/// </summary>
internal sealed class TestOutputLoggerFactory : ILoggerFactory
{
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;

    public TestOutputLoggerFactory(string name) => Name = name;

    /// <summary>Prefixes every line, to tell the nodes of one test apart.</summary>
    public string Name { get; }

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new CategoryLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        Lines.Enqueue(line);
        try
        {
            _output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished: its output is closed, and the line stays in Lines.
        }
    }

    private sealed class CategoryLogger(TestOutputLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write($"{owner.Name} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " (" + exception.Message + ")")}");
            }
        }
    }
}
