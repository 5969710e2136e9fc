using System.Globalization;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// Kubo's argument binding over one request: positional arguments are repeated <c>arg</c> query parameters, flags are
/// other query parameters (<c>?recursive=false</c>; a bare <c>?quiet</c> means true).
/// </summary>
public sealed class RpcRequest
{
    public RpcRequest(HttpContext context)
    {
        Context = context;
        Arguments = [.. context.Request.Query["arg"].Where(a => a is not null).Select(a => a!)];
    }

    public HttpContext Context { get; }

    public IReadOnlyList<string> Arguments { get; }

    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The first positional argument; a missing one is a client error, as Kubo's "argument \"x\" is required".</summary>
    public string RequireArgument(string name) =>
        Arguments.Count > 0 ? Arguments[0] : throw new RpcException($"argument \"{name}\" is required", RpcErrorCode.Client);

    /// <summary>All positional arguments, at least one.</summary>
    public IReadOnlyList<string> RequireArguments(string name) =>
        Arguments.Count > 0 ? Arguments : throw new RpcException($"argument \"{name}\" is required", RpcErrorCode.Client);

    public string? GetString(string name)
    {
        string? value = Context.Request.Query[name];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public bool GetFlag(string name, bool defaultValue = false)
    {
        if (!Context.Request.Query.TryGetValue(name, out var values))
        {
            return defaultValue;
        }

        string? value = values.Count > 0 ? values[0] : null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        return bool.TryParse(value, out bool flag)
            ? flag
            : throw new RpcException($"invalid value \"{value}\" for boolean option \"{name}\"", RpcErrorCode.Client);
    }

    public long? GetInt64(string name)
    {
        string? value = GetString(name);
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number)
            ? number
            : throw new RpcException($"invalid value \"{value}\" for integer option \"{name}\"", RpcErrorCode.Client);
    }

    /// <summary>
    /// A CID from a CID or an <c>/ipfs/CID</c> path. Paths into a DAG are not resolved yet, so a path with more segments
    /// is refused with a clear message.
    /// </summary>
    public static Cid ParseCidPath(string text)
    {
        ReadOnlySpan<char> span = TrimPath(text);
        if (span.IndexOf('/') >= 0)
        {
            throw new RpcException($"invalid path \"{text}\": paths inside a DAG are not supported yet, give a CID");
        }

        return Cid.TryParse(span, out Cid cid)
            ? cid
            : throw new RpcException($"invalid path \"{text}\": not a valid CID");
    }

    /// <summary>True when the path goes below its root CID (<c>CID/a/b</c>), so it needs resolving through the DAG.</summary>
    public static bool HasSubPath(string text) => TrimPath(text).IndexOf('/') >= 0;

    private static ReadOnlySpan<char> TrimPath(string text)
    {
        ReadOnlySpan<char> span = text.AsSpan().Trim();
        if (span.StartsWith("/ipfs/", StringComparison.Ordinal))
        {
            span = span["/ipfs/".Length..];
        }

        return span.TrimEnd('/');
    }

    public static Multiaddr ParseMultiaddr(string text) =>
        Multiaddr.TryParse(text, out Multiaddr? address)
            ? address
            : throw new RpcException($"invalid multiaddr \"{text}\"");

    /// <summary>The peer an address names in its /p2p/ part, which a peer address must have.</summary>
    public static PeerId RequirePeerId(Multiaddr address) =>
        address.PeerId ?? throw new RpcException($"invalid peer address \"{address}\": it must end in /p2p/<peer-id>");
}
