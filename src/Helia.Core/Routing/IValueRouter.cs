namespace Helia.Core.Routing;

/// <summary>Stores and finds signed values (IPNS records) by key.</summary>
public interface IValueRouter : IRouter
{
    ValueTask PutValueAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>The best value found, or null when there is none.</summary>
    ValueTask<ReadOnlyMemory<byte>?> GetValueAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);
}
