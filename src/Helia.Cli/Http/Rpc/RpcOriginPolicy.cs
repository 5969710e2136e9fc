using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// Kubo's origin check for the RPC API: a request with no Origin and no Referer comes from a program and is allowed;
/// one with an Origin (or Referer) comes from a browser page and is allowed only if that page is the API itself
/// (loopback on the API's own port) or is in the configured list. Anything else is 403, so a web page cannot drive the node.
/// </summary>
public sealed class RpcOriginPolicy
{
    private readonly HashSet<string> _allowed;

    public RpcOriginPolicy(IEnumerable<string>? allowedOrigins = null)
    {
        _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string origin in allowedOrigins ?? [])
        {
            _allowed.Add(origin.TrimEnd('/'));
        }
    }

    /// <summary>Returns null when the request may proceed, otherwise the reason it is refused.</summary>
    public string? Check(HttpRequest request, int apiPort)
    {
        string? origin = request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin) && !IsAllowed(origin, apiPort))
        {
            return $"origin \"{origin}\" is not allowed";
        }

        string? referer = request.Headers.Referer;
        if (!string.IsNullOrEmpty(referer))
        {
            if (!Uri.TryCreate(referer, UriKind.Absolute, out Uri? uri) || !IsAllowed(uri.GetLeftPart(UriPartial.Authority), apiPort))
            {
                return $"referer \"{referer}\" is not allowed";
            }
        }

        return null;
    }

    public bool IsAllowed(string origin, int apiPort)
    {
        string trimmed = origin.TrimEnd('/');
        if (_allowed.Contains("*") || _allowed.Contains(trimmed))
        {
            return true;
        }

        if (apiPort <= 0 || !Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        bool loopbackHost = uri.Host is "127.0.0.1" or "localhost" or "[::1]";
        return loopbackHost && uri.Port == apiPort && uri.Scheme is "http" or "https";
    }
}
