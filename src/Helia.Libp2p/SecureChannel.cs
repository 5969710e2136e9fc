using System.IO.Pipelines;
using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>
/// The result of a security handshake: an encrypted duplex pipe and the authenticated identity of the remote peer.
/// <see cref="RemotePublicKey"/> is the peer's public key in the libp2p PublicKey protobuf encoding.
/// Disposing it stops the channel's own loops (when the pipe has any) after the muxer on top is done with it.
/// </summary>
public sealed class SecureChannel(IDuplexPipe pipe, PeerId remotePeer, ReadOnlyMemory<byte> remotePublicKey) : IDuplexPipe, IAsyncDisposable
{
    public PeerId RemotePeer { get; } = remotePeer;

    public ReadOnlyMemory<byte> RemotePublicKey { get; } = remotePublicKey;

    public PipeReader Input => pipe.Input;

    public PipeWriter Output => pipe.Output;

    public ValueTask DisposeAsync() => pipe is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
}
