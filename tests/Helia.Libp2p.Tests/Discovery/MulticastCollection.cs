namespace Helia.Libp2p.Tests.Discovery;

/// <summary>Multicast tests share port 5353 and the flood test floods it, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MulticastCollection
{
    public const string Name = "Multicast";
}
