using Helia.Libp2p.Muxing.Yamux;

namespace Helia.Libp2p.Tests.Muxing.Yamux;

public class YamuxConformanceTests : MuxerConformanceTests
{
    protected override long InitialWindow => YamuxOptions.SpecInitialWindow;

    protected override IStreamMuxer CreateMuxer() => new YamuxMuxer();
}
