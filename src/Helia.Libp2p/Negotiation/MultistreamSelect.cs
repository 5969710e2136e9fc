using System.IO.Pipelines;

namespace Helia.Libp2p.Negotiation;

/// <summary>
/// multistream-select 1.0 over a duplex pipe: <c>SelectAsync</c> for the dialer and <c>ListenAsync</c>
/// for the listener (two functions, as in rust-libp2p). Bytes after the negotiation stay in the pipe for the protocol.
/// </summary>
public static class MultistreamSelect
{
    /// <summary>How many proposals a listener answers before it gives up on the peer.</summary>
    public const int MaxProposals = 64;

    /// <summary>
    /// Proposes <paramref name="protocols"/> in order and returns the first the listener accepts. The header and the first
    /// proposal go out together. Throws <see cref="ProtocolNotSupportedException"/> when every one is refused.
    /// </summary>
    public static async ValueTask<string> SelectAsync(IDuplexPipe pipe, IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        if (protocols.Count == 0)
        {
            throw new ArgumentException("At least one protocol is needed.", nameof(protocols));
        }

        MultistreamMessage.Write(pipe.Output, MultistreamMessage.Header);
        MultistreamMessage.Write(pipe.Output, protocols[0]);
        await pipe.Output.FlushAsync(cancellationToken);

        string header = await ReadMessageAsync(pipe.Input, cancellationToken);
        CheckHeader(header);
        for (int i = 0; ; i++)
        {
            string response = await ReadMessageAsync(pipe.Input, cancellationToken);
            if (response == protocols[i])
            {
                return response;
            }

            if (response != MultistreamMessage.NotAvailable)
            {
                throw new MultistreamException($"Unexpected multistream reply '{Printable(response)}' to '{protocols[i]}'.");
            }

            if (i + 1 == protocols.Count)
            {
                throw new ProtocolNotSupportedException(protocols);
            }

            MultistreamMessage.Write(pipe.Output, protocols[i + 1]);
            await pipe.Output.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Proposes one protocol and does not wait for the answer (lazy negotiation): the header and the proposal are sent,
    /// and the returned pipe's first read checks the listener's answer, failing with
    /// <see cref="ProtocolNotSupportedException"/> on <c>na</c>. Data written meanwhile follows the proposal, which saves a
    /// round trip; should the listener refuse, it reads that data as garbage proposals and drops the stream.
    /// </summary>
    public static async ValueTask<IDuplexPipe> SelectLazilyAsync(IDuplexPipe pipe, string protocol, CancellationToken cancellationToken)
    {
        MultistreamMessage.Write(pipe.Output, MultistreamMessage.Header);
        MultistreamMessage.Write(pipe.Output, protocol);
        await pipe.Output.FlushAsync(cancellationToken);
        return new NegotiatedPipe(new LazyNegotiationReader(pipe.Input, protocol), pipe.Output);
    }

    /// <summary>
    /// Answers proposals until one is supported (echoes it and returns it); answers <c>ls</c> with
    /// <paramref name="listing"/> and anything unsupported with <c>na</c>.
    /// </summary>
    public static async ValueTask<string> ListenAsync(
        IDuplexPipe pipe, Func<string, bool> isSupported, Func<IEnumerable<string>> listing, CancellationToken cancellationToken)
    {
        MultistreamMessage.Write(pipe.Output, MultistreamMessage.Header);
        await pipe.Output.FlushAsync(cancellationToken);

        string header = await ReadMessageAsync(pipe.Input, cancellationToken);
        CheckHeader(header);
        for (int i = 0; i < MaxProposals; i++)
        {
            string proposal = await ReadMessageAsync(pipe.Input, cancellationToken);
            if (proposal == MultistreamMessage.List)
            {
                MultistreamMessage.WriteList(pipe.Output, listing());
            }
            else if (proposal != MultistreamMessage.NotAvailable && proposal != MultistreamMessage.Header && isSupported(proposal))
            {
                MultistreamMessage.Write(pipe.Output, proposal);
                await pipe.Output.FlushAsync(cancellationToken);
                return proposal;
            }
            else
            {
                MultistreamMessage.Write(pipe.Output, MultistreamMessage.NotAvailable);
            }

            await pipe.Output.FlushAsync(cancellationToken);
        }

        throw new MultistreamException($"The peer made more than {MaxProposals} multistream proposals.");
    }

    /// <summary>Answers proposals for a fixed set of protocols.</summary>
    public static ValueTask<string> ListenAsync(IDuplexPipe pipe, IReadOnlyCollection<string> protocols, CancellationToken cancellationToken) =>
        ListenAsync(pipe, protocols.Contains, () => protocols, cancellationToken);

    /// <summary>Reads one message; a stream that ends first is a <see cref="MultistreamException"/>.</summary>
    internal static async ValueTask<string> ReadMessageAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            System.Buffers.ReadOnlySequence<byte> buffer = result.Buffer;
            bool done = false;
            string message;
            try
            {
                done = MultistreamMessage.TryRead(ref buffer, out message);
            }
            finally
            {
                if (done)
                {
                    input.AdvanceTo(buffer.Start);
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }
            }

            if (done)
            {
                return message;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                throw new MultistreamException(buffer.IsEmpty
                    ? "The peer closed the stream during multistream negotiation."
                    : "The peer closed the stream in the middle of a multistream message.");
            }
        }
    }

    internal static void CheckHeader(string header)
    {
        if (header != MultistreamMessage.Header)
        {
            throw new MultistreamException($"Expected the header {MultistreamMessage.Header}, got '{Printable(header)}'.");
        }
    }

    internal static string Printable(string text) => text.Length > 64 ? string.Concat(text.AsSpan(0, 64), "…") : text;

    private sealed record NegotiatedPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
