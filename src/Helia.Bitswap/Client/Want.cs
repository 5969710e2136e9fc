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

    /// <summary>
    /// Left the wantlist (answered or given up), so nothing more about it goes on the wire. Set under the lock, while
    /// <see cref="Completion"/> completes after it is released: a retry that checked only the completion could put the
    /// want back on a peer's list after its cancel.
    /// </summary>
    public bool Closed { get; set; }

    /// <summary>Asked with want-block from every peer, including peers that connect later.</summary>
    public bool Broadcast { get; set; }

    /// <summary>What we asked of whom, so a cancel goes exactly where a want went.</summary>
    public Dictionary<PeerId, WantType> SentTo { get; } = [];

    public List<IWantObserver> Observers { get; } = [];
}
