namespace Helia.Cli.Http.Rpc;

/// <summary>Kubo's error codes (go-ipfs-cmds ErrorType), sent as "Code" in the error body.</summary>
public enum RpcErrorCode
{
    /// <summary>The command ran and failed (HTTP 500).</summary>
    Normal = 0,

    /// <summary>The request was malformed: a missing or unparsable argument (HTTP 400).</summary>
    Client = 1,

    /// <summary>The command is not implemented by this node (HTTP 500).</summary>
    Implementation = 2,

    /// <summary>Something was not found (HTTP 404).</summary>
    NotFound = 3,
}
