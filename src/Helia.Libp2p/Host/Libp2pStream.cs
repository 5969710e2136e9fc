using System.IO.Pipelines;

namespace Helia.Libp2p.Host;

/// <summary>
/// A muxed stream with its negotiated protocol: what handlers and <c>NewStreamAsync</c> callers get. <paramref name="input"/>
/// replaces the stream's own reader when the negotiation is still to be checked on the first read (lazy select).
/// </summary>
internal sealed class Libp2pStream(IMuxedStream inner, string protocol, IConnection connection, PipeReader? input = null, Action? onDisposed = null) : IStream
{
    private int _disposed;

    public long Id => inner.Id;

    public string Protocol { get; } = protocol;

    public IConnection Connection { get; } = connection;

    public PipeReader Input { get; } = input ?? inner.Input;

    public PipeWriter Output => inner.Output;

    public void Reset(StreamErrorCode code = StreamErrorCode.Cancelled)
    {
        inner.Reset(code);
        Release();
    }

    public async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        Release();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            onDisposed?.Invoke();
        }
    }
}
