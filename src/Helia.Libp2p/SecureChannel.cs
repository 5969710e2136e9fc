using System.IO.Pipelines;
using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>
/// The result of a security handshake: an encrypted duplex pipe and the authenticated identity of the remote peer.
/// <see cref="RemotePublicKey"/> is the peer's public key in the libp2p PublicKey protobuf encoding.
/// </summary>
public sealed class SecureChannel(IDuplexPipe pipe, PeerId remotePeer, ReadOnlyMemory<byte> remotePublicKey) : IDuplexPipe
{
    public PeerId RemotePeer { get; } = remotePeer;

    public ReadOnlyMemory<byte> RemotePublicKey { get; } = remotePublicKey;

    public PipeReader Input => pipe.Input;

    public PipeWriter Output => pipe.Output;
}
