namespace Helia.Core.Routing;

/// <summary>
/// What the node exposes: a composite that fans out to every registered router with the capability
/// (routers.OfType&lt;IContentRouter&gt;()) and merges their answers.
/// </summary>
public interface IRouting : IContentRouter, IPeerRouter, IValueRouter
{
}
