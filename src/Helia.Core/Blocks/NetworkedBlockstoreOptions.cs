namespace Helia.Core.Blocks;

public sealed class NetworkedBlockstoreOptions
{
    /// <summary>Never touch the network: gets look only in the local store and puts announce nothing.</summary>
    public bool Offline { get; init; }
}
