using System.IO.Pipelines;

namespace Helia.Libp2p.Negotiation;

/// <summary>
/// The read side of a stream whose single protocol was proposed without waiting for the answer (see
/// <see cref="MultistreamSelect.SelectLazilyAsync"/>): the first read consumes the listener's header and its answer,
/// and fails with <see cref="ProtocolNotSupportedException"/> when the answer is <c>na</c>. Later reads pass through.
/// </summary>
internal sealed class LazyNegotiationReader(PipeReader inner, string protocol) : PipeReader
{
    private bool _negotiated;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!_negotiated)
        {
            await ReadAnswerAsync(cancellationToken);
        }

        return await inner.ReadAsync(cancellationToken);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_negotiated)
        {
            result = default;
            return false;   // the answer has not been read yet: nothing is readable without waiting
        }

        return inner.TryRead(out result);
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private async ValueTask ReadAnswerAsync(CancellationToken cancellationToken)
    {
        string header = await MultistreamSelect.ReadMessageAsync(inner, cancellationToken);
        MultistreamSelect.CheckHeader(header);
        string answer = await MultistreamSelect.ReadMessageAsync(inner, cancellationToken);
        if (answer == MultistreamMessage.NotAvailable)
        {
            throw new ProtocolNotSupportedException([protocol]);
        }

        if (answer != protocol)
        {
            throw new MultistreamException($"Unexpected multistream reply '{MultistreamSelect.Printable(answer)}' to '{protocol}'.");
        }

        _negotiated = true;
    }
}
