using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Bitswap.Client;

/// <summary>
/// One CID on our wantlist, shared by everyone waiting for it: one network request however many waiters.
/// Guarded by the client's lock, except <see cref="Completion"/>.
/// </summary>
internal sealed class Want(Cid cid)
{
    public Cid Cid { get; } = cid;

    public TaskCompletionSource<ReadOnlyMemory<byte>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Waiters { get; set; }

    /// <summary>Asked with want-block from every peer, including peers that connect later.</summary>
    public bool Broadcast { get; set; }

    /// <summary>What we asked of whom, so a cancel goes exactly where a want went.</summary>
    public Dictionary<PeerId, WantType> SentTo { get; } = [];

    public List<IWantObserver> Observers { get; } = [];
}
