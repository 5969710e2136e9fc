using Helia.Core.Datastore;

namespace Helia.Tests.Datastore;

public class DatastoreKeyTests
{
    [Theory]
    [InlineData("a/b", "/a/b")]
    [InlineData("/a//b/", "/a/b")]
    [InlineData("", "/")]
    [InlineData("///", "/")]
    public void New_CleansTheKey(string raw, string clean) => Assert.Equal(clean, new DatastoreKey(raw).Value);

    [Fact]
    public void ChildParentName_Navigate()
    {
        DatastoreKey key = DatastoreKey.Root.Child("pins").Child("abc");

        Assert.Equal("/pins/abc", key.Value);
        Assert.Equal("abc", key.Name);
        Assert.Equal(new DatastoreKey("/pins"), key.Parent);
        Assert.Equal(DatastoreKey.Root, key.Parent.Parent);
        Assert.Equal(["pins", "abc"], key.Segments);
        Assert.Throws<ArgumentException>(() => key.Child("a/b"));
        Assert.Throws<ArgumentException>(() => key.Child(""));
    }

    [Theory]
    [InlineData("/a/b", "/a", true)]
    [InlineData("/a", "/a", true)]
    [InlineData("/ab", "/a", false)]
    [InlineData("/a-b", "/a", false)]
    [InlineData("/b", "/", true)]
    public void IsUnder_IsHierarchical(string key, string prefix, bool expected) =>
        Assert.Equal(expected, new DatastoreKey(key).IsUnder(new DatastoreKey(prefix)));

    [Fact]
    public void Default_IsTheRoot() => Assert.Equal(DatastoreKey.Root, default);
}
