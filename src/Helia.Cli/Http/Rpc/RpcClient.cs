using System.Net;
using System.Text;
using System.Text.Json;
using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>Calls a running daemon's RPC API; a Kubo error body is rethrown as <see cref="RpcException"/> with its message.</summary>
public sealed class RpcClient : IDisposable
{
    private readonly HttpClient _http;

    public RpcClient(Uri baseUri, TimeSpan? timeout = null)
    {
        _http = new HttpClient { BaseAddress = baseUri, Timeout = timeout ?? Timeout.InfiniteTimeSpan };
    }

    public static Uri ToUri(Multiaddr address) =>
        address.TryGetTcpEndPoint(out IPEndPoint? endPoint)
            ? new Uri(endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"http://[{endPoint.Address}]:{endPoint.Port}/" : $"http://{endPoint.Address}:{endPoint.Port}/")
            : throw new RpcException($"the API address {address} is not a TCP address");

    /// <summary>True when a daemon answers at <paramref name="address"/> within two seconds.</summary>
    public static async Task<bool> IsAliveAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new RpcClient(ToUri(address), TimeSpan.FromSeconds(2));
            using HttpResponseMessage response = await client.PostAsync("version", [], [], null, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or RpcException)
        {
            return false;
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string command, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> flags, HttpContent? content, CancellationToken cancellationToken)
    {
        var query = new StringBuilder(KuboRpcEndpoints.Prefix.TrimStart('/')).Append(command);
        char separator = '?';
        foreach (string argument in arguments)
        {
            query.Append(separator).Append("arg=").Append(Uri.EscapeDataString(argument));
            separator = '&';
        }

        foreach ((string name, string value) in flags)
        {
            query.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, query.ToString()) { Content = content };
        HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new RpcException(ErrorMessage(body, response.StatusCode));
        }

        return response;
    }

    public async Task<JsonElement> PostJsonAsync(string command, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> flags, CancellationToken cancellationToken, HttpContent? content = null)
    {
        using HttpResponseMessage response = await PostAsync(command, arguments, flags, content, cancellationToken);
        await using Stream body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using JsonDocument document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }

    /// <summary>Reads an NDJSON response value by value; an error value ends the stream with an exception.</summary>
    public async IAsyncEnumerable<JsonElement> PostNdjsonAsync(string command, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string>> flags, HttpContent? content, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await PostAsync(command, arguments, flags, content, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            JsonElement value;
            using (JsonDocument document = JsonDocument.Parse(line))
            {
                value = document.RootElement.Clone();
            }

            if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Type", out JsonElement type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error")
            {
                throw new RpcException(value.TryGetProperty("Message", out JsonElement message) ? message.GetString() ?? "error" : "error");
            }

            yield return value;
        }
    }

    private static string ErrorMessage(string body, HttpStatusCode status)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("Message", out JsonElement message) && message.GetString() is { } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }

        return $"{(int)status} {status}: {body.Trim()}";
    }

    public void Dispose() => _http.Dispose();
}
