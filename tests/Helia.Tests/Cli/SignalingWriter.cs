using System.Text;

namespace Helia.Tests.Cli;

/// <summary>A thread-safe writer that completes <see cref="Ready"/> once a given line has been written.</summary>
internal sealed class SignalingWriter(string readyLine) : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (value == '\n' && _text.ToString().Contains(readyLine, StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
