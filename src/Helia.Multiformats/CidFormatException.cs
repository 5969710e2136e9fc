namespace Helia.Multiformats;

/// <summary>A CID string or binary that does not follow the CID spec.</summary>
public sealed class CidFormatException : MultiformatsException
{
    public CidFormatException(string message)
        : base(message)
    {
    }

    public CidFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
