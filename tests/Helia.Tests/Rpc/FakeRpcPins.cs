using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

/// <summary>An in-memory pin set for endpoint tests (the real one is the node's).</summary>
internal sealed class FakeRpcPins : IRpcPins
{
    public Dictionary<Cid, string> Pins { get; } = [];

    public ValueTask PinAsync(Cid cid, bool recursive, CancellationToken cancellationToken)
    {
        Pins[cid] = recursive ? "recursive" : "direct";
        return ValueTask.CompletedTask;
    }

    public ValueTask UnpinAsync(Cid cid, bool recursive, CancellationToken cancellationToken)
    {
        if (!Pins.Remove(cid))
        {
            throw new InvalidOperationException("not pinned or pinned indirectly");
        }

        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<RpcPin> ListAsync(string type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach ((Cid cid, string pinType) in Pins)
        {
            if (type == "all" || type == pinType)
            {
                yield return new RpcPin(cid, pinType);
            }
        }
    }

    public ValueTask<RpcPin?> GetAsync(Cid cid, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Pins.TryGetValue(cid, out string? type) ? new RpcPin(cid, type) : null);
}
