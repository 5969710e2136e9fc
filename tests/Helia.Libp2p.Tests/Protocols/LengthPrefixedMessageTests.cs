using System.IO.Pipelines;
using Google.Protobuf;
using Helia.Libp2p.Protocols;
using Helia.Libp2p.Protocols.Identify;
using IdentifyMessage = Helia.Libp2p.Protos.Identify;

namespace Helia.Libp2p.Tests.Protocols;

public class LengthPrefixedMessageTests
{
    [Fact]
    public async Task WriteThenRead_IdentifyMessage_RoundTrips()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pipe = new Pipe();
        var sent = new IdentifyMessage { AgentVersion = IdentifyOptions.DefaultAgentVersion, ProtocolVersion = "ipfs/0.1.0" };
        sent.Protocols.Add("/ipfs/ping/1.0.0");

        await LengthPrefixedMessage.WriteAsync(pipe.Writer, sent, ct);
        await pipe.Writer.CompleteAsync();
        IdentifyMessage? received = await LengthPrefixedMessage.ReadAsync(pipe.Reader, IdentifyMessage.Parser, 1024, "/test", ct);

        Assert.Equal(sent, received);
        Assert.StartsWith("helia-dotnet/0.1.0", received!.AgentVersion, StringComparison.Ordinal);
        Assert.Null(await LengthPrefixedMessage.ReadAsync(pipe.Reader, IdentifyMessage.Parser, 1024, "/test", ct));
    }

    [Fact]
    public async Task Read_LengthOverLimit_ThrowsBeforeTheBodyArrives()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0x81, 0x40 }, TestContext.Current.CancellationToken);   // 8193, and no body

        Libp2pProtocolException error = await Assert.ThrowsAsync<Libp2pProtocolException>(async () =>
            await LengthPrefixedMessage.ReadAsync(pipe.Reader, IdentifyMessage.Parser, 8192, IdentifyService.ProtocolId, TestContext.Current.CancellationToken));

        Assert.Contains("8193 bytes exceeds the limit of 8192", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x05, 0x01 })]                    // ends inside the body
    [InlineData(new byte[] { 0x80 })]                          // ends inside the length
    [InlineData(new byte[] { 0x02, 0x0a, 0x05 })]              // field 1 claims 5 bytes that are not there
    [InlineData(new byte[] { 0x80, 0x00 })]                    // a non-minimal length
    public async Task Read_TruncatedOrMalformed_ThrowsProtocolException(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes, TestContext.Current.CancellationToken);
        await pipe.Writer.CompleteAsync();

        await Assert.ThrowsAsync<Libp2pProtocolException>(async () =>
            await LengthPrefixedMessage.ReadAsync(pipe.Reader, IdentifyMessage.Parser, 1024, "/test", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void PeerIdOf_Ed25519Key_IsIdentityMultihash()
    {
        // The protobuf PublicKey of an Ed25519 key (type 1, 32 bytes) is 36 bytes, so the peer id inlines it: 12D3KooW….
        byte[] key = [0x08, 0x01, 0x12, 0x20, .. new byte[32]];
        Assert.StartsWith("12D3KooW", IdentifyService.PeerIdOf(key).ToString(), StringComparison.Ordinal);
        Assert.Equal(ByteString.CopyFrom(key).Length, IdentifyService.PeerIdOf(key).Bytes.Length - 2);
    }
}
