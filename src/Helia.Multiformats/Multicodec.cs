namespace Helia.Multiformats;

/// <summary>
/// Multicodec codes (specs: multiformats/multicodec/table.csv). Names are the table's names in PascalCase, parts
/// joined, with an underscore only where two digits would otherwise touch: sha2-256 is Sha2_256, dag-pb is DagPb.
/// </summary>
public enum Multicodec : ulong
{
    Identity = 0x00,
    Cidv1 = 0x01,
    Sha1 = 0x11,
    Sha2_256 = 0x12,
    Sha2_512 = 0x13,
    Sha3_512 = 0x14,
    Sha3_384 = 0x15,
    Sha3_256 = 0x16,
    Sha3_224 = 0x17,
    Keccak256 = 0x1b,
    Keccak512 = 0x1d,
    Blake3 = 0x1e,
    Murmur3X64_64 = 0x22,
    Cbor = 0x51,
    Raw = 0x55,
    DagPb = 0x70,
    DagCbor = 0x71,
    Libp2pKey = 0x72,
    DagJose = 0x85,
    DagJson = 0x0129,
    Json = 0x0200,
    Blake2b256 = 0xb220,
    Blake2b512 = 0xb240,
    Blake2s256 = 0xb260,
}
