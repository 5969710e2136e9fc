namespace Helia.Libp2p.Crypto;

/// <summary>The key types of libp2p's key protobuf (peer-ids spec); the values are the wire values.</summary>
public enum KeyType
{
    Rsa = 0,
    Ed25519 = 1,
    Secp256k1 = 2,
    Ecdsa = 3,
}
