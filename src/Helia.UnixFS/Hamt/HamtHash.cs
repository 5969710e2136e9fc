using System.Text;

namespace Helia.UnixFS.Hamt;

/// <summary>
/// Where a name goes in a HAMT with 256 buckets per level: level L uses byte L of the big-endian murmur3-x64-64 of the
/// name's UTF-8 bytes. Past 8 levels the hash is extended, as the reference implementations do, with the hash of the
/// name followed by one byte holding the extension's number.
/// </summary>
internal sealed class HamtHash
{
    private readonly byte[] _name;
    private readonly List<ulong> _hashes = [];

    public HamtHash(string name)
    {
        _name = Encoding.UTF8.GetBytes(name);
        _hashes.Add(Murmur3.Hash64(_name));
    }

    /// <summary>The bucket index (0..255) at <paramref name="level"/>.</summary>
    public int IndexAt(int level)
    {
        int depth = level / 8;
        while (_hashes.Count <= depth)
        {
            byte[] extended = [.. _name, (byte)_hashes.Count];
            _hashes.Add(Murmur3.Hash64(extended));
        }

        return (int)((_hashes[depth] >> (56 - (8 * (level % 8)))) & 0xFF);
    }
}
