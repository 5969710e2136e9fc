namespace Helia.Core.Routing;

/// <summary>
/// A source of routing answers (the DHT, delegated HTTP routing, …). Capabilities are the sub-interfaces
/// <see cref="IContentRouter"/>, <see cref="IPeerRouter"/> and <see cref="IValueRouter"/>, as in go's routing split.
/// </summary>
public interface IRouter
{
    string Name { get; }
}
