namespace Helia.Multiformats;

/// <summary>
/// The base of every error this library raises for malformed input: a varint, multibase string, multihash,
/// CID or multiaddr that does not follow its spec. Catch this to reject bad input from the network or a file.
/// </summary>
public class MultiformatsException : FormatException
{
    public MultiformatsException(string message)
        : base(message)
    {
    }

    public MultiformatsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
