using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

/// <summary>Writers for Kubo's response shapes: one JSON value, a stream of NDJSON values, raw bytes, and the error body.</summary>
public static class RpcResponses
{
    /// <summary>The trailer go-ipfs-cmds sets when a stream fails after its 200 was sent.</summary>
    public const string StreamErrorTrailer = "X-Stream-Error";

    public static async Task WriteJsonAsync<T>(HttpContext context, T value)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, RpcJson.Options, context.RequestAborted);
        await context.Response.Body.WriteAsync(s_newline, context.RequestAborted);
    }

    /// <summary>
    /// Newline-delimited JSON, one value per line, flushed per value (Kubo's X-Chunked-Output). A failure before the
    /// first value becomes an ordinary error response; after it, an error line and the X-Stream-Error trailer.
    /// </summary>
    public static async Task WriteNdjsonAsync<T>(HttpContext context, IAsyncEnumerable<T> values)
    {
        HttpResponse response = context.Response;
        CancellationToken cancellationToken = context.RequestAborted;
        await using IAsyncEnumerator<T> enumerator = values.GetAsyncEnumerator(cancellationToken);
        bool hasFirst = await enumerator.MoveNextAsync();   // errors here propagate to the handler's error funnel
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers["X-Chunked-Output"] = "1";
        response.Headers.Append("Trailer", StreamErrorTrailer);
        if (!hasFirst)
        {
            return;
        }

        try
        {
            do
            {
                await JsonSerializer.SerializeAsync(response.Body, enumerator.Current, RpcJson.Options, cancellationToken);
                await response.Body.WriteAsync(s_newline, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
            }
            while (await enumerator.MoveNextAsync());
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            RpcError error = ToError(ex);
            await JsonSerializer.SerializeAsync(response.Body, error, RpcJson.Options, cancellationToken);
            await response.Body.WriteAsync(s_newline, cancellationToken);
            if (response.SupportsTrailers())
            {
                response.AppendTrailer(StreamErrorTrailer, error.Message);
            }
        }
    }

    public static async Task WriteErrorAsync(HttpContext context, Exception exception)
    {
        RpcError error = ToError(exception);
        context.Response.StatusCode = exception is RpcException rpc ? rpc.StatusCode : StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, error, RpcJson.Options, context.RequestAborted);
        await context.Response.Body.WriteAsync(s_newline, context.RequestAborted);
    }

    /// <summary>The error body for an exception: our own and the libraries' exceptions carry user-facing messages.</summary>
    public static RpcError ToError(Exception exception) => exception switch
    {
        RpcException rpc => new RpcError(rpc.Message, (int)rpc.Code),
        _ => new RpcError(exception.Message, (int)RpcErrorCode.Normal),
    };

    private static readonly byte[] s_newline = "\n"u8.ToArray();
}
