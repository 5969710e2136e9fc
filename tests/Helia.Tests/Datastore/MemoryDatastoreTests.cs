using Helia.Core.Datastore;

namespace Helia.Tests.Datastore;

public sealed class MemoryDatastoreTests : DatastoreContractTests
{
    protected override ValueTask<IDatastore> CreateStoreAsync() => ValueTask.FromResult<IDatastore>(new MemoryDatastore());
}
