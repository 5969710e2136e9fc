using System.IO.Pipelines;

namespace Helia.Libp2p.Tests;

/// <summary>Two duplex pipes wired back to back: what one writes, the other reads.</summary>
internal sealed class DuplexPipePair
{
    public DuplexPipePair()
    {
        var aToB = new Pipe();
        var bToA = new Pipe();
        A = new Duplex(bToA.Reader, aToB.Writer);
        B = new Duplex(aToB.Reader, bToA.Writer);
    }

    public IDuplexPipe A { get; }

    public IDuplexPipe B { get; }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
