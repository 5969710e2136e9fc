namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>Limits and tuning of a yamux session. Checked by <see cref="Validate"/> in the <see cref="YamuxMuxer"/> constructor.</summary>
public sealed class YamuxOptions
{
    /// <summary>The window every stream starts with in both directions, fixed by the spec (256 KiB).</summary>
    public const int SpecInitialWindow = 256 * 1024;

    public const int DefaultInitialWindow = SpecInitialWindow;
    public const int DefaultMaxReceiveWindow = 16 * 1024 * 1024;
    public const int DefaultMaxSessionWindowGrowth = 64 * 1024 * 1024;
    public const int DefaultMaxFrameSize = 64 * 1024;
    public const int DefaultMaxStreams = 1024;
    public const int DefaultAcceptBacklog = 256;
    public const int DefaultMaxAckBacklog = 256;
    public const int DefaultMaxPendingControlFrames = 64 * 1024;
    public const int DefaultKeepAliveIntervalSeconds = 30;
    public const int DefaultCloseTimeoutSeconds = 5;

    /// <summary>
    /// The receive window a new stream grants the peer. Above 256 KiB, the extra is announced with the SYN or ACK.
    /// </summary>
    public int InitialWindow { get; init; } = DefaultInitialWindow;

    /// <summary>
    /// The largest receive window a stream grows to (auto-tuned from the round-trip time, as go-yamux does); also the
    /// most bytes buffered for a stream whose reader is slow. A peer sending past the window is a protocol error.
    /// </summary>
    public int MaxReceiveWindow { get; init; } = DefaultMaxReceiveWindow;

    /// <summary>
    /// The most window all streams of a session together may grow beyond their initial window, so auto-tuning on many
    /// streams cannot commit unbounded memory (go-yamux reserves the growth from its resource manager the same way).
    /// </summary>
    public int MaxSessionWindowGrowth { get; init; } = DefaultMaxSessionWindowGrowth;

    /// <summary>The largest data payload sent in one frame; longer writes are split.</summary>
    public int MaxFrameSize { get; init; } = DefaultMaxFrameSize;

    /// <summary>The most open streams per session, both directions together; inbound streams past it are reset.</summary>
    public int MaxStreams { get; init; } = DefaultMaxStreams;

    /// <summary>The most inbound streams waiting for <see cref="IMuxedConnection.AcceptStreamAsync"/>; the excess is reset.</summary>
    public int AcceptBacklog { get; init; } = DefaultAcceptBacklog;

    /// <summary>The most outbound streams the peer has not acknowledged yet; opening more waits (spec: at most 256).</summary>
    public int MaxAckBacklog { get; init; } = DefaultMaxAckBacklog;

    /// <summary>The most control frames queued for a peer that does not read; beyond it the session is closed.</summary>
    public int MaxPendingControlFrames { get; init; } = DefaultMaxPendingControlFrames;

    /// <summary>The interval of keep-alive pings (which also measure the round-trip time); <see cref="TimeSpan.Zero"/> turns them off.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(DefaultKeepAliveIntervalSeconds);

    /// <summary>How long closing a session may wait to flush its GoAway to a peer that does not read.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(DefaultCloseTimeoutSeconds);

    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialWindow, SpecInitialWindow, nameof(InitialWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReceiveWindow, InitialWindow, nameof(MaxReceiveWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessionWindowGrowth, 0, nameof(MaxSessionWindowGrowth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameSize, 1, nameof(MaxFrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxStreams, 1, nameof(MaxStreams));
        ArgumentOutOfRangeException.ThrowIfLessThan(AcceptBacklog, 1, nameof(AcceptBacklog));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAckBacklog, 1, nameof(MaxAckBacklog));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingControlFrames, 16, nameof(MaxPendingControlFrames));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepAliveInterval, TimeSpan.Zero, nameof(KeepAliveInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseTimeout, TimeSpan.Zero, nameof(CloseTimeout));
    }
}
