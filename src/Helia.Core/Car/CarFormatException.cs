namespace Helia.Core.Car;

/// <summary>A CAR (content addressable archive) is malformed, truncated, too large, of a version we do not read, or holds a block that does not match its CID.</summary>
public sealed class CarFormatException : HeliaException
{
    public CarFormatException(string message)
        : base(message)
    {
    }

    public CarFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
