using Helia.Core.Blocks;

namespace Helia.Tests.Blocks;

public sealed class MemoryBlockstoreTests : BlockstoreContractTests
{
    protected override ValueTask<IBlockstore> CreateStoreAsync() => ValueTask.FromResult<IBlockstore>(new MemoryBlockstore());
}
