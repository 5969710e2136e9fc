using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// An RPC command failure that becomes Kubo's error body <c>{"Message":..,"Code":..,"Type":"error"}</c>. Over the
/// client it is what a remote error is rethrown as.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(string message, RpcErrorCode code = RpcErrorCode.Normal)
        : base(message)
    {
        Code = code;
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = RpcErrorCode.Normal;
    }

    public RpcErrorCode Code { get; }

    /// <summary>The HTTP status go-ipfs-cmds sends for this code.</summary>
    public int StatusCode => Code switch
    {
        RpcErrorCode.Client => StatusCodes.Status400BadRequest,
        RpcErrorCode.NotFound => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status500InternalServerError,
    };
}
