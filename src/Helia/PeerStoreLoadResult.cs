namespace Helia;

/// <summary>What <see cref="PeerStorePersistence.LoadAsync"/> did: records put into the peer store, and records skipped as unusable.</summary>
public readonly record struct PeerStoreLoadResult(int Loaded, int Skipped);
