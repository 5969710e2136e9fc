using System.Buffers;

namespace Helia.Libp2p.Tests.Transports;

/// <summary>
/// A pool over <see cref="MemoryPool{T}.Shared"/> that counts the bytes rented and not yet given back, so a test can
/// measure what its own connections hold, whatever else the process does at the time.
/// </summary>
internal sealed class CountingMemoryPool : MemoryPool<byte>
{
    private long _outstandingBytes;

    public long OutstandingBytes => Interlocked.Read(ref _outstandingBytes);

    public override int MaxBufferSize => Shared.MaxBufferSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        IMemoryOwner<byte> rented = Shared.Rent(minBufferSize);
        Interlocked.Add(ref _outstandingBytes, rented.Memory.Length);
        return new CountedOwner(this, rented);
    }

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class CountedOwner(CountingMemoryPool pool, IMemoryOwner<byte> rented) : IMemoryOwner<byte>
    {
        private int _disposed;

        public Memory<byte> Memory => rented.Memory;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Add(ref pool._outstandingBytes, -rented.Memory.Length);
                rented.Dispose();
            }
        }
    }
}
