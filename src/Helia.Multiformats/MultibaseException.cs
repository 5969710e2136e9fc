namespace Helia.Multiformats;

/// <summary>A multibase string with an unknown prefix or characters outside its alphabet.</summary>
public sealed class MultibaseException : MultiformatsException
{
    public MultibaseException(string message)
        : base(message)
    {
    }

    public MultibaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
