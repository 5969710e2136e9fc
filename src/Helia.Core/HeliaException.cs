namespace Helia.Core;

/// <summary>The base of every error Helia's storage, data and node layers raise.</summary>
public class HeliaException : Exception
{
    public HeliaException(string message)
        : base(message)
    {
    }

    public HeliaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
