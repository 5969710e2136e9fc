using Helia.Multiformats;

namespace Helia.Core.Ipld;

/// <summary>No codec is registered for a block's multicodec, so its links cannot be found.</summary>
public sealed class UnsupportedCodecException(ulong code)
    : HeliaException($"No IPLD codec is registered for multicodec 0x{code:x} ({(Multicodec)code}).")
{
    public ulong Code { get; } = code;
}
