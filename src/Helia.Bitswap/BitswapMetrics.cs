using System.Diagnostics.Metrics;

namespace Helia.Bitswap;

/// <summary>
/// Bitswap's counters, exported through System.Diagnostics.Metrics (meter "Helia.Bitswap") and kept as totals for
/// <see cref="BitswapStat"/>.
/// </summary>
internal sealed class BitswapMetrics : IDisposable
{
    public const string MeterName = "Helia.Bitswap";

    private readonly Meter _meter;
    private readonly Counter<long> _blocksReceived;
    private readonly Counter<long> _dataReceived;
    private readonly Counter<long> _dupBlocksReceived;
    private readonly Counter<long> _dupDataReceived;
    private readonly Counter<long> _blocksSent;
    private readonly Counter<long> _dataSent;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _badBlocks;
    private long _totalBlocksReceived;
    private long _totalDataReceived;
    private long _totalDupBlocks;
    private long _totalDupData;
    private long _totalBlocksSent;
    private long _totalDataSent;
    private long _totalMessagesReceived;
    private long _totalUnwantedBlocks;

    public BitswapMetrics(Func<int> wantlistSize, Func<int> peerCount, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _blocksReceived = _meter.CreateCounter<long>("bitswap.blocks.received", "{block}", "Wanted blocks received and verified");
        _dataReceived = _meter.CreateCounter<long>("bitswap.data.received", "By", "Bytes of wanted blocks received");
        _dupBlocksReceived = _meter.CreateCounter<long>("bitswap.duplicate_blocks.received", "{block}", "Blocks received that were already received");
        _dupDataReceived = _meter.CreateCounter<long>("bitswap.duplicate_data.received", "By", "Bytes of duplicate blocks received");
        _blocksSent = _meter.CreateCounter<long>("bitswap.blocks.sent", "{block}", "Blocks sent to peers");
        _dataSent = _meter.CreateCounter<long>("bitswap.data.sent", "By", "Bytes of blocks sent to peers");
        _messagesReceived = _meter.CreateCounter<long>("bitswap.messages.received", "{message}", "Messages received");
        _badBlocks = _meter.CreateCounter<long>("bitswap.unwanted_blocks.received", "{block}", "Blocks received that were never wanted (or did not verify)");
        _meter.CreateObservableGauge("bitswap.wantlist.size", wantlistSize, "{cid}", "CIDs on our wantlist");
        _meter.CreateObservableGauge("bitswap.peers", peerCount, "{peer}", "Peers Bitswap talks to");
    }

    public long BlocksReceived => Interlocked.Read(ref _totalBlocksReceived);

    public long DataReceived => Interlocked.Read(ref _totalDataReceived);

    public long DuplicateBlocksReceived => Interlocked.Read(ref _totalDupBlocks);

    public long DuplicateDataReceived => Interlocked.Read(ref _totalDupData);

    public long BlocksSent => Interlocked.Read(ref _totalBlocksSent);

    public long DataSent => Interlocked.Read(ref _totalDataSent);

    public long MessagesReceived => Interlocked.Read(ref _totalMessagesReceived);

    public long UnwantedBlocksReceived => Interlocked.Read(ref _totalUnwantedBlocks);

    public void BlockReceived(int bytes)
    {
        Interlocked.Increment(ref _totalBlocksReceived);
        Interlocked.Add(ref _totalDataReceived, bytes);
        _blocksReceived.Add(1);
        _dataReceived.Add(bytes);
    }

    public void DuplicateReceived(int bytes)
    {
        Interlocked.Increment(ref _totalDupBlocks);
        Interlocked.Add(ref _totalDupData, bytes);
        _dupBlocksReceived.Add(1);
        _dupDataReceived.Add(bytes);
    }

    public void UnwantedReceived()
    {
        Interlocked.Increment(ref _totalUnwantedBlocks);
        _badBlocks.Add(1);
    }

    public void Sent(int blocks, long bytes)
    {
        Interlocked.Add(ref _totalBlocksSent, blocks);
        Interlocked.Add(ref _totalDataSent, bytes);
        _blocksSent.Add(blocks);
        _dataSent.Add(bytes);
    }

    public void MessageReceived()
    {
        Interlocked.Increment(ref _totalMessagesReceived);
        _messagesReceived.Add(1);
    }

    public void Dispose() => _meter.Dispose();
}
