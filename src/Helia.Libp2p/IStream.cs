namespace Helia.Libp2p;

/// <summary>What applications get: a stream with a negotiated protocol on a secured, multiplexed connection.</summary>
public interface IStream : IMuxedStream
{
    /// <summary>The protocol ID both sides agreed on.</summary>
    string Protocol { get; }

    IConnection Connection { get; }
}
