using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Core.Pins;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>pin add/rm/ls over the node's <see cref="PinManager"/>, with Kubo's type names and refusals.</summary>
internal sealed class NodePins(PinManager pins) : IRpcPins
{
    public async ValueTask PinAsync(Cid cid, bool recursive, CancellationToken cancellationToken) =>
        await pins.AddAsync(cid, recursive, cancellationToken);

    public async ValueTask UnpinAsync(Cid cid, bool recursive, CancellationToken cancellationToken)
    {
        RpcPin? pin = await GetAsync(cid, cancellationToken);
        switch (pin?.Type)
        {
            case null:
                throw new RpcException("not pinned or pinned indirectly");
            case "indirect":
                throw new RpcException($"{cid} is pinned indirectly");
            case "recursive" when !recursive:
                throw new RpcException($"{cid} is pinned recursively");
        }

        await pins.RemoveAsync(cid, cancellationToken);
    }

    public async IAsyncEnumerable<RpcPin> ListAsync(string type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PinType? filter = type switch
        {
            "recursive" => PinType.Recursive,
            "direct" => PinType.Direct,
            "indirect" => PinType.Indirect,
            _ => null,
        };
        await foreach (Pin pin in pins.LsAsync(filter, cancellationToken))
        {
            yield return new RpcPin(pin.Cid, TypeName(pin.Type));
        }
    }

    public async ValueTask<RpcPin?> GetAsync(Cid cid, CancellationToken cancellationToken) =>
        await pins.GetAsync(cid, cancellationToken) is Pin pin ? new RpcPin(cid, TypeName(pin.Type)) : null;

    private static string TypeName(PinType type) => type switch
    {
        PinType.Recursive => "recursive",
        PinType.Direct => "direct",
        _ => "indirect",
    };
}
