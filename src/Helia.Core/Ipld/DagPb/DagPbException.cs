namespace Helia.Core.Ipld.DagPb;

/// <summary>Bytes that are not a canonical dag-pb block.</summary>
public sealed class DagPbException : HeliaException
{
    public DagPbException(string message)
        : base(message)
    {
    }

    public DagPbException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
