using System.Text;
using Helia.Core;
using Helia.Core.Datastore;
using Helia.Tests.Blocks;

namespace Helia.Tests.Datastore;

public sealed class SqliteDatastoreTests : DatastoreContractTests
{
    private readonly TempDirectory _dir = new();

    protected override async ValueTask<IDatastore> CreateStoreAsync() =>
        await SqliteDatastore.OpenAsync(_dir.Combine("datastore", "ds.sqlite"), cancellationToken: Ct);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Reopen_KeepsTheEntries()
    {
        string path = _dir.Combine("reopen.sqlite");
        await using (SqliteDatastore first = await SqliteDatastore.OpenAsync(path, cancellationToken: Ct))
        {
            await first.PutAsync("/persist/me", Encoding.UTF8.GetBytes("kept"), Ct);
        }

        await using SqliteDatastore second = await SqliteDatastore.OpenAsync(path, new SqliteDatastoreOptions { Durable = true }, Ct);

        Assert.Equal("kept", Encoding.UTF8.GetString((await second.GetAsync("/persist/me", Ct))!.Value.Span));
    }

    [Fact]
    public async Task Open_FileThatIsNotADatabase_ThrowsNamingTheFile()
    {
        string path = _dir.Combine("garbage.sqlite");
        await File.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(new string('x', 4096)), Ct);

        HeliaException ex = await Assert.ThrowsAsync<HeliaException>(async () => await SqliteDatastore.OpenAsync(path, cancellationToken: Ct));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Use_AfterDispose_Throws()
    {
        SqliteDatastore store = await SqliteDatastore.OpenAsync(_dir.Combine("disposed.sqlite"), cancellationToken: Ct);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync("/x", Ct));
    }
}
