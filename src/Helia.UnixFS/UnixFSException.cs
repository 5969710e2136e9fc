using Helia.Core;

namespace Helia.UnixFS;

/// <summary>A UnixFS DAG is malformed, or an operation does not fit it (a path through a file, an offset past the end).</summary>
public class UnixFSException : HeliaException
{
    public UnixFSException(string message)
        : base(message)
    {
    }

    public UnixFSException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
