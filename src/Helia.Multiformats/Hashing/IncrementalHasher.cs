namespace Helia.Multiformats.Hashing;

/// <summary>
/// A hash in progress: <see cref="Append"/> the data piece by piece, then <see cref="Finish"/>. After finishing it
/// starts over, so one instance can hash many inputs in turn. Not thread-safe. Get one from
/// <see cref="MultihashHasher.CreateIncremental"/>.
/// </summary>
public abstract class IncrementalHasher : IDisposable
{
    protected IncrementalHasher(ulong code, int digestLength)
    {
        Code = code;
        DigestLength = digestLength;
    }

    /// <summary>The hash function's multicodec code.</summary>
    public ulong Code { get; }

    /// <summary>The number of bytes <see cref="Finish"/> writes.</summary>
    public int DigestLength { get; }

    /// <summary>Adds the next piece of the input.</summary>
    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>Writes the digest of everything appended to <paramref name="destination"/> and starts over.</summary>
    public void Finish(Span<byte> destination)
    {
        if (destination.Length < DigestLength)
        {
            throw new ArgumentException($"The digest needs {DigestLength} bytes, not {destination.Length}.", nameof(destination));
        }

        FinishCore(destination[..DigestLength]);
    }

    /// <summary>The multihash of everything appended; starts over.</summary>
    public virtual Multihash FinishMultihash()
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        FinishCore(digest);
        return Multihash.Create(Code, digest);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes exactly <see cref="DigestLength"/> bytes and resets.</summary>
    protected abstract void FinishCore(Span<byte> destination);

    protected virtual void Dispose(bool disposing)
    {
    }
}
