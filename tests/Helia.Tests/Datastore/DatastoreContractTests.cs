using System.Text;
using Helia.Core.Datastore;

namespace Helia.Tests.Datastore;

/// <summary>The contract every <see cref="IDatastore"/> implementation passes.</summary>
public abstract class DatastoreContractTests : IAsyncLifetime
{
    private IDatastore? _store;

    protected IDatastore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract ValueTask<IDatastore> CreateStoreAsync();

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected async Task<List<string>> KeysUnderAsync(string prefix)
    {
        List<string> keys = [];
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in Store.QueryAsync(new DatastoreKey(prefix), Ct))
        {
            keys.Add(entry.Key.Value);
        }

        return keys;
    }

    [Fact]
    public async Task Get_Missing_ReturnsNull()
    {
        Assert.Null(await Store.GetAsync("/nothing/here", Ct));
        Assert.False(await Store.HasAsync("/nothing/here", Ct));
    }

    [Fact]
    public async Task Put_ThenGet_ReturnsACopyOfTheValue()
    {
        byte[] value = Bytes("value");
        await Store.PutAsync("/a/b", value, Ct);
        value[0] = (byte)'X';

        ReadOnlyMemory<byte>? got = await Store.GetAsync("/a/b", Ct);

        Assert.Equal("value", Encoding.UTF8.GetString(got!.Value.Span));
        Assert.True(await Store.HasAsync("/a/b", Ct));
    }

    [Fact]
    public async Task Put_Overwrites_AndDeleteRemoves()
    {
        await Store.PutAsync("/k", Bytes("one"), Ct);
        await Store.PutAsync("/k", Bytes("two"), Ct);
        Assert.Equal("two", Encoding.UTF8.GetString((await Store.GetAsync("/k", Ct))!.Value.Span));

        await Store.DeleteAsync("/k", Ct);
        await Store.DeleteAsync("/k", Ct);

        Assert.Null(await Store.GetAsync("/k", Ct));
    }

    [Fact]
    public async Task Put_EmptyValue_IsStoredNotMissing()
    {
        await Store.PutAsync("/empty", ReadOnlyMemory<byte>.Empty, Ct);

        ReadOnlyMemory<byte>? got = await Store.GetAsync("/empty", Ct);

        Assert.NotNull(got);
        Assert.Equal(0, got.Value.Length);
    }

    [Fact]
    public async Task Query_Prefix_IsHierarchicalAndOrdered()
    {
        foreach (string key in new[] { "/pins/b", "/pins/a", "/pins", "/pinsx/a", "/pin", "/pins/a/deep", "/pins-a", "/other" })
        {
            await Store.PutAsync(key, Bytes(key), Ct);
        }

        Assert.Equal(["/pins", "/pins/a", "/pins/a/deep", "/pins/b"], await KeysUnderAsync("/pins"));
        Assert.Equal(8, (await KeysUnderAsync("/")).Count);
        Assert.Empty(await KeysUnderAsync("/missing"));

        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in Store.QueryAsync("/pins", Ct))
        {
            Assert.Equal(entry.Key.Value, Encoding.UTF8.GetString(entry.Value.Span));
        }
    }

    [Fact]
    public async Task Query_ManyEntries_WhileDeletingInsideTheLoop_SeesEachOnce()
    {
        for (int i = 0; i < 700; i++)
        {
            await Store.PutAsync($"/many/{i:d4}", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }

        int seen = 0;
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in Store.QueryAsync("/many", Ct))
        {
            seen++;
            await Store.DeleteAsync(entry.Key, Ct);
        }

        Assert.Equal(700, seen);
        Assert.Empty(await KeysUnderAsync("/many"));
    }

    [Fact]
    public async Task Batch_AppliesPutsAndDeletes()
    {
        await Store.PutAsync("/batch/old", Bytes("old"), Ct);

        await Store.BatchAsync(
            [new("/batch/a", Bytes("a")), new("/batch/b", Bytes("b"))],
            [new DatastoreKey("/batch/old")],
            Ct);

        Assert.Equal(["/batch/a", "/batch/b"], await KeysUnderAsync("/batch"));
    }

    [Fact]
    public async Task Put_Concurrent_AllLand()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () => await Store.PutAsync($"/c/{i:d2}", Bytes("x"), Ct), Ct)));

        Assert.Equal(50, (await KeysUnderAsync("/c")).Count);
    }
}
