using System.Buffers;
using System.IO.Pipelines;
using Helia.Libp2p.Negotiation;

namespace Helia.Libp2p.Tests.Negotiation;

public class MultistreamSelectTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SelectAsync_SecondProtocolSupported_BothSidesAgree()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        ValueTask<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/b/1.0.0", "/c/1.0.0"], ct);
        string selected = await MultistreamSelect.SelectAsync(pair.A, ["/a/1.0.0", "/b/1.0.0"], ct).AsTask().WaitAsync(s_timeout, ct);

        Assert.Equal("/b/1.0.0", selected);
        Assert.Equal("/b/1.0.0", await listener.AsTask().WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task SelectAsync_NothingSupported_ThrowsProtocolNotSupported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/z"], ct).AsTask();
        var error = await Assert.ThrowsAsync<ProtocolNotSupportedException>(
            () => MultistreamSelect.SelectAsync(pair.A, ["/a", "/b"], ct).AsTask().WaitAsync(s_timeout, ct));

        Assert.Equal(["/a", "/b"], error.Protocols);
        Assert.False(listener.IsCompleted);
    }

    [Fact]
    public async Task SelectAsync_DataAfterNegotiation_StaysInThePipe()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        Task<string> listener = Task.Run(async () =>
        {
            string protocol = await MultistreamSelect.ListenAsync(pair.B, ["/echo"], ct);
            await pair.B.Output.WriteAsync("hello"u8.ToArray(), ct);
            return protocol;
        }, ct);
        await MultistreamSelect.SelectAsync(pair.A, ["/echo"], ct).AsTask().WaitAsync(s_timeout, ct);
        await listener.WaitAsync(s_timeout, ct);

        ReadResult result = await pair.A.Input.ReadAtLeastAsync(5, ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal("hello"u8.ToArray(), result.Buffer.ToArray());
    }

    [Fact]
    public async Task SelectLazilyAsync_DataFollowsTheProposal_BeforeAnyAnswer()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        // The dialer writes its data without having read anything: the listener gets proposal and data together.
        IDuplexPipe lazy = await MultistreamSelect.SelectLazilyAsync(pair.A, "/echo", ct).AsTask().WaitAsync(s_timeout, ct);
        await lazy.Output.WriteAsync("ping"u8.ToArray(), ct);
        string selected = await MultistreamSelect.ListenAsync(pair.B, ["/echo"], ct).AsTask().WaitAsync(s_timeout, ct);
        ReadResult sent = await pair.B.Input.ReadAtLeastAsync(4, ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal("/echo", selected);
        Assert.Equal("ping"u8.ToArray(), sent.Buffer.ToArray());
        pair.B.Input.AdvanceTo(sent.Buffer.End);

        // The dialer's first read consumes the header and the echo, then yields the listener's data.
        await pair.B.Output.WriteAsync("pong"u8.ToArray(), ct);
        ReadResult received = await lazy.Input.ReadAtLeastAsync(4, ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal("pong"u8.ToArray(), received.Buffer.ToArray());
    }

    [Fact]
    public async Task SelectLazilyAsync_Refused_FirstReadThrowsProtocolNotSupported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/z"], ct).AsTask();
        IDuplexPipe lazy = await MultistreamSelect.SelectLazilyAsync(pair.A, "/a", ct).AsTask().WaitAsync(s_timeout, ct);

        var error = await Assert.ThrowsAsync<ProtocolNotSupportedException>(() => lazy.Input.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct));
        Assert.Equal(["/a"], error.Protocols);
        Assert.False(lazy.Input.TryRead(out _));
        Assert.False(listener.IsCompleted);
    }

    [Fact]
    public async Task SelectLazilyAsync_WrongAnswer_FirstReadThrowsMultistreamException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();

        IDuplexPipe lazy = await MultistreamSelect.SelectLazilyAsync(pair.A, "/a", ct).AsTask().WaitAsync(s_timeout, ct);
        MultistreamMessage.Write(pair.B.Output, MultistreamMessage.Header);
        MultistreamMessage.Write(pair.B.Output, "/b");
        await pair.B.Output.FlushAsync(ct);

        await Assert.ThrowsAsync<MultistreamException>(() => lazy.Input.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task ListenAsync_Ls_AnswersWithTheListing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();
        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/x", "/y"], ct).AsTask();

        MultistreamMessage.Write(pair.A.Output, MultistreamMessage.Header);
        MultistreamMessage.Write(pair.A.Output, "ls");
        await pair.A.Output.FlushAsync(ct);

        var expected = new ArrayBufferWriter<byte>();
        MultistreamMessage.Write(expected, MultistreamMessage.Header);
        MultistreamMessage.WriteList(expected, ["/x", "/y"]);
        ReadResult result = await pair.A.Input.ReadAtLeastAsync(expected.WrittenCount, ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal(expected.WrittenSpan.ToArray(), result.Buffer.ToArray());
        Assert.False(listener.IsCompleted);
    }

    [Fact]
    public async Task ListenAsync_WrongHeader_ThrowsMultistreamException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();
        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/x"], ct).AsTask();

        MultistreamMessage.Write(pair.A.Output, "/multistream/2.0.0");
        await pair.A.Output.FlushAsync(ct);

        await Assert.ThrowsAsync<MultistreamException>(() => listener.WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task ListenAsync_TruncatedLine_ThrowsMultistreamException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();
        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/x"], ct).AsTask();

        await pair.A.Output.WriteAsync(Convert.FromHexString("132f6d756c7469"), ct);
        await pair.A.Output.CompleteAsync();

        var error = await Assert.ThrowsAsync<MultistreamException>(() => listener.WaitAsync(s_timeout, ct));
        Assert.Contains("middle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenAsync_OverLongLine_ThrowsWithoutWaitingForTheBody()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();
        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/x"], ct).AsTask();

        await pair.A.Output.WriteAsync(new byte[] { 0xff, 0xff, 0x03 }, ct);

        await Assert.ThrowsAsync<MultistreamException>(() => listener.WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task ListenAsync_EndlessProposals_GivesUp()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pair = new DuplexPipePair();
        Task<string> listener = MultistreamSelect.ListenAsync(pair.B, ["/x"], ct).AsTask();

        MultistreamMessage.Write(pair.A.Output, MultistreamMessage.Header);
        for (int i = 0; i <= MultistreamSelect.MaxProposals; i++)
        {
            MultistreamMessage.Write(pair.A.Output, "/nope");
        }

        await pair.A.Output.FlushAsync(ct);

        await Assert.ThrowsAsync<MultistreamException>(() => listener.WaitAsync(s_timeout, ct));
    }
}
