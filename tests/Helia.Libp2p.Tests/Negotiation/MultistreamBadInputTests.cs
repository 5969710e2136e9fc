using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using Helia.Libp2p.Negotiation;
using Helia.Multiformats.Tests;

namespace Helia.Libp2p.Tests.Negotiation;

/// <summary>
/// Random and mutated multistream-select input against the message codec, the listener and the lazy dialer's reader:
/// every message read is exactly the bytes it was read from, the answer does not depend on how the bytes are split
/// into segments, and anything else is a <see cref="MultistreamException"/>, never another exception or a hang.
/// </summary>
public class MultistreamBadInputTests
{
    private const string Echo = "/echo/1.0.0";

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static readonly byte[][] s_valid =
    [
        Messages(MultistreamMessage.Header, Echo),
        Messages(MultistreamMessage.Header, MultistreamMessage.List, MultistreamMessage.NotAvailable, "/ipfs/id/1.0.0", Echo),
        List(Echo, "/ipfs/id/1.0.0", "/ipfs/bitswap/1.2.0"),
    ];

    [Fact]
    public void TryRead_RandomOrMutated_ReadsOnlyWhatReencodesToTheSameBytes_WhateverTheSegments()
    {
        Gen.Select(BadInput.RandomOrMutated(64, s_valid), Gen.Int, Gen.Int).Sample(
            (bytes, cut1, cut2) =>
            {
                (List<string> messages, long consumed, Exception? error) = ReadAll(new ReadOnlySequence<byte>(bytes));
                byte[] reencoded = Messages([.. messages]);
                Assert.Equal(bytes[..(int)consumed], reencoded);
                Assert.True(error is null or MultistreamException, $"{error?.GetType().Name}: {error}");

                // The same bytes in three segments, as a pipe may hand them out: the same messages and the same answer.
                int a = (int)((uint)cut1 % (bytes.Length + 1));
                int b = a + (int)((uint)cut2 % (bytes.Length - a + 1));
                (List<string> split, long splitConsumed, Exception? splitError) = ReadAll(TestSequences.Split(bytes[..a], bytes[a..b], bytes[b..]));
                Assert.Equal(messages, split);
                Assert.Equal(consumed, splitConsumed);
                Assert.Equal(error?.GetType(), splitError?.GetType());
            },
            iter: 2000);
    }

    [Fact]
    public async Task Listen_RandomOrMutatedProposals_AgreesOnlyToAProposedProtocolOrThrowsMultistreamException()
    {
        await BadInput.RandomOrMutated(64, s_valid).SampleAsync(
            async bytes =>
            {
                IDuplexPipe pipe = FedWith(bytes);
                await BadInput.ParsesOrThrowsAsync<MultistreamException>(
                    async () =>
                    {
                        string protocol = await MultistreamSelect.ListenAsync(pipe, [Echo, "/ipfs/id/1.0.0"], TestContext.Current.CancellationToken);
                        (List<string> messages, _, _) = ReadAll(new ReadOnlySequence<byte>(bytes));
                        Assert.Equal(MultistreamMessage.Header, messages[0]);
                        Assert.Contains(protocol, messages.Skip(1));
                    },
                    s_timeout);
            },
            iter: 300);
    }

    [Fact]
    public async Task LazySelect_RandomOrMutatedAnswer_ReadsThroughOnlyAfterTheHeaderAndTheProtocol()
    {
        await BadInput.RandomOrMutated(64, s_valid).SampleAsync(
            async bytes =>
            {
                IDuplexPipe pipe = FedWith(bytes);
                IDuplexPipe negotiated = await MultistreamSelect.SelectLazilyAsync(pipe, Echo, TestContext.Current.CancellationToken);
                await BadInput.ParsesOrThrowsAsync<MultistreamException>(
                    async () =>
                    {
                        await negotiated.Input.ReadAsync(TestContext.Current.CancellationToken);
                        (List<string> messages, _, _) = ReadAll(new ReadOnlySequence<byte>(bytes));
                        Assert.Equal([MultistreamMessage.Header, Echo], messages.Take(2));
                    },
                    s_timeout);
            },
            iter: 300);
    }

    /// <summary>Reads messages until one is incomplete or malformed: the messages, the bytes they took, and the error.</summary>
    private static (List<string> Messages, long Consumed, Exception? Error) ReadAll(ReadOnlySequence<byte> buffer)
    {
        var messages = new List<string>();
        long total = buffer.Length;
        try
        {
            while (MultistreamMessage.TryRead(ref buffer, out string message))
            {
                messages.Add(message);
            }

            return (messages, total - buffer.Length, null);
        }
        catch (Exception ex)
        {
            return (messages, total - buffer.Length, ex);
        }
    }

    /// <summary>A duplex whose input holds <paramref name="bytes"/> and then ends; what is written to it is kept unread.</summary>
    private static IDuplexPipe FedWith(byte[] bytes)
    {
        var output = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        return new Duplex(BadInput.ReaderOf(bytes), output.Writer);
    }

    private static byte[] Messages(params string[] messages)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (string message in messages)
        {
            MultistreamMessage.Write(writer, message);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static byte[] List(params string[] protocols)
    {
        var writer = new ArrayBufferWriter<byte>();
        MultistreamMessage.WriteList(writer, protocols);
        return writer.WrittenSpan.ToArray();
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
