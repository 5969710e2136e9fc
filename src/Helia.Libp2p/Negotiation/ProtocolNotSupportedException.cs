namespace Helia.Libp2p.Negotiation;

/// <summary>The peer answered <c>na</c> to every protocol we proposed.</summary>
public sealed class ProtocolNotSupportedException(IReadOnlyList<string> protocols)
    : MultistreamException($"The peer supports none of: {string.Join(", ", protocols)}.")
{
    public IReadOnlyList<string> Protocols { get; } = protocols;
}
