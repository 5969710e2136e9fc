using System.Runtime.InteropServices;
using Helia.Core.Blocks;
using Helia.Core.Pins;

namespace Helia.Tests.Blocks;

public sealed class MemoryBlockstoreTests : BlockstoreContractTests
{
    [Fact]
    public async Task PutOwned_KeepsTheGivenArray_PutKeepsACopy()
    {
        Block owned = RawBlock("kept as given");
        Block copied = RawBlock("kept as a copy");
        byte[] ownedArray = owned.Bytes.ToArray();
        byte[] copiedArray = copied.Bytes.ToArray();

        await Store.PutOwnedAsync(owned.Cid, ownedArray, Ct);
        await Store.PutAsync(copied.Cid, copiedArray, Ct);

        Assert.Same(ownedArray, ArrayOf(await Store.GetAsync(owned.Cid, Ct)));
        Assert.NotSame(copiedArray, ArrayOf(await Store.GetAsync(copied.Cid, Ct)));
    }

    [Fact]
    public async Task PutOwned_SliceOfALargerArray_KeepsACopyOfTheSliceOnly()
    {
        Block block = RawBlock("a slice of a frame");
        byte[] frame = new byte[block.Bytes.Length + 100];
        block.Bytes.CopyTo(frame.AsMemory(50));

        await Store.PutOwnedAsync(block.Cid, frame.AsMemory(50, block.Bytes.Length), Ct);

        ReadOnlyMemory<byte> stored = await Store.GetAsync(block.Cid, Ct);
        Assert.NotSame(frame, ArrayOf(stored));
        Assert.Equal(block.Bytes.ToArray(), stored.ToArray());
    }

    [Fact]
    public async Task GcBlockstore_PassesOwnershipThrough()
    {
        var inner = new MemoryBlockstore();
        var store = new GcBlockstore(inner);
        Block block = RawBlock("through the gc guard");
        byte[] array = block.Bytes.ToArray();

        await store.PutOwnedAsync(block.Cid, array, Ct);

        Assert.Same(array, ArrayOf(await inner.GetAsync(block.Cid, Ct)));
    }

    protected override ValueTask<IBlockstore> CreateStoreAsync() => ValueTask.FromResult<IBlockstore>(new MemoryBlockstore());

    private static byte[]? ArrayOf(ReadOnlyMemory<byte> memory) => MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) ? segment.Array : null;
}
