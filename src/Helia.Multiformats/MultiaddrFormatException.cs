namespace Helia.Multiformats;

/// <summary>A multiaddr string or binary that does not follow the multiaddr spec.</summary>
public sealed class MultiaddrFormatException : MultiformatsException
{
    public MultiaddrFormatException(string message)
        : base(message)
    {
    }

    public MultiaddrFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
