using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>The yamux stream multiplexer ("/yamux/1.0.0", libp2p's default muxer).</summary>
public sealed class YamuxMuxer : IStreamMuxer
{
    public const string ProtocolId = "/yamux/1.0.0";

    private readonly YamuxOptions _options;
    private readonly ILogger _logger;

    public YamuxMuxer(YamuxOptions? options = null, ILogger<YamuxMuxer>? logger = null)
    {
        _options = options ?? new YamuxOptions();
        _options.Validate();
        _logger = logger ?? NullLogger<YamuxMuxer>.Instance;
    }

    string IStreamMuxer.ProtocolId => ProtocolId;

    public IMuxedConnection Start(IDuplexPipe channel, bool isInitiator)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new YamuxConnection(channel, isInitiator, _options, _logger);
    }
}
