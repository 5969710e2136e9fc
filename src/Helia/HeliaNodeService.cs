using Microsoft.Extensions.Hosting;

namespace Helia;

/// <summary>
/// Runs a <see cref="HeliaNode"/> inside a .NET host: built and started when the host starts, stopped when it stops.
/// Registered by <see cref="HeliaServiceCollectionExtensions.AddHelia"/>.
/// </summary>
public sealed class HeliaNodeService(HeliaBuilder builder) : IHostedService, IAsyncDisposable
{
    private HeliaNode? _node;

    /// <summary>The running node; available once the host has started.</summary>
    public HeliaNode Node => _node ?? throw new InvalidOperationException("The Helia node is not running: the host has not started it yet, or has stopped it.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_node is not null)
        {
            throw new InvalidOperationException("The Helia node is already running.");
        }

        _node = await builder.BuildAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        HeliaNode? node = Interlocked.Exchange(ref _node, null);
        if (node is not null)
        {
            await node.DisposeAsync();
        }
    }
}
