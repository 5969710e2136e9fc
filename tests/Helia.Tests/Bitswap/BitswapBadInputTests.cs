using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

/// <summary>
/// Random and mutated Bitswap input with the mutations the differential parser tests do not make (inserted and
/// deleted bytes, overlong varints, huge length prefixes): block prefixes, frames and whole message streams are read
/// or refused with <see cref="BitswapProtocolException"/>, and every block a message yields hashes to its CID.
/// </summary>
public class BitswapBadInputTests
{
    private const int MaxMessageSize = 4096;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static readonly byte[][] s_prefixes =
    [
        CidPrefix.FromCid(Cid.Compute(Multicodec.Raw, [1])).ToArray(),
        CidPrefix.FromCid(Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, [2]))).ToArray(),
        new CidPrefix(1, (ulong)Multicodec.DagCbor, (ulong)Multicodec.Identity, 3).ToArray(),
        new CidPrefix(1, (ulong)Multicodec.Raw, (ulong)Multicodec.Sha2_256, 20).ToArray(),
    ];

    [Fact]
    public void CidPrefix_RandomOrMutated_ReadsWhatReencodesToTheSameBytesOrThrows()
    {
        Gen.Select(BadInput.RandomOrMutated(24, s_prefixes), BadInput.RandomBytes(8)).Sample(
            (bytes, data) => BadInput.ParsesOrThrows<BitswapProtocolException>(() =>
            {
                CidPrefix prefix = CidPrefix.Parse(bytes);
                Assert.Equal(bytes, prefix.ToArray());
                if (prefix.TryComputeCid(data, out Cid cid))
                {
                    Assert.Equal(prefix, CidPrefix.FromCid(cid));
                    Assert.True(cid.Hash.Matches(data), $"{cid} does not verify the data it was computed from");
                }
            }),
            iter: 2000);
    }

    [Fact]
    public void TryReadFrame_RandomOrMutated_TakesAFrameWithinTheLimitOrWaitsOrThrows()
    {
        byte[] valid = Encode(SampleMessage());
        Gen.Select(BadInput.RandomOrMutated(32, valid), Gen.Int[0, 2]).Sample(
            (bytes, maxIndex) =>
            {
                int max = new[] { 0, 16, MaxMessageSize }[maxIndex];
                var buffer = new ReadOnlySequence<byte>(bytes);
                BadInput.ParsesOrThrows<BitswapProtocolException>(() =>
                {
                    if (BitswapMessageCodec.TryReadFrame(ref buffer, max, out ReadOnlySequence<byte> frame))
                    {
                        Assert.InRange(frame.Length, 0, max);
                        Assert.Equal(bytes.Length - Varint.GetLength((ulong)frame.Length) - frame.Length, buffer.Length);
                    }
                    else
                    {
                        Assert.Equal(bytes.Length, buffer.Length);
                    }
                });
            },
            iter: 2000);
    }

    [Fact]
    public async Task ReadAsync_RandomOrMutatedStream_YieldsOnlyVerifiedBlocksOrThrows()
    {
        byte[] valid = [.. Encode(SampleMessage()), .. Encode(new BitswapMessage { Blocks = { Block(Multicodec.DagPb, "second") } })];
        await BadInput.RandomOrMutated(64, valid).SampleAsync(
            async bytes =>
            {
                PipeReader input = BadInput.ReaderOf(bytes);
                await BadInput.ParsesOrThrowsAsync<BitswapProtocolException>(
                    async () =>
                    {
                        while (await BitswapMessageCodec.ReadAsync(input, MaxMessageSize, TestContext.Current.CancellationToken) is BitswapMessage message)
                        {
                            Assert.All(message.Blocks, block => Assert.True(block.Cid.Hash.Matches(block.Data.Span), $"block {block.Cid} does not hash to its CID"));
                            Assert.True(message.PendingBytes >= 0);
                        }
                    },
                    s_timeout);
            },
            iter: 1500);
    }

    private static BitswapMessage SampleMessage()
    {
        Cid wanted = Cid.Compute(Multicodec.Raw, "wanted"u8);
        var message = new BitswapMessage
        {
            FullWantlist = true,
            PendingBytes = 300,
            Wantlist = { new WantlistEntry(wanted, 5, WantType: WantType.Have, SendDontHave: true), WantlistEntry.CancelFor(Cid.Compute(Multicodec.DagPb, "x"u8)) },
            Blocks = { Block(Multicodec.Raw, "first block"), Block(Multicodec.DagCbor, "second block") },
            BlockPresences = { new BlockPresence(wanted, BlockPresenceType.DontHave) },
        };
        return message;
    }

    private static BitswapBlock Block(Multicodec codec, string text)
    {
        byte[] data = System.Text.Encoding.UTF8.GetBytes(text);
        return new BitswapBlock(Cid.Compute(codec, data), data);
    }

    private static byte[] Encode(BitswapMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        BitswapMessageCodec.Write(message, BitswapProtocolVersion.V120, writer);
        return writer.WrittenSpan.ToArray();
    }
}
