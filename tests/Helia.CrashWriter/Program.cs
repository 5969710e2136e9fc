using Helia.Core.Datastore;
using Helia.Core.Repo;
using Helia.Multiformats;

// Usage: Helia.CrashWriter <repo> <max-blocks>
// Opens the repo (taking its lock), prints "open", then for each block: puts it, records its CID in the datastore
// under /crash/<n>, and prints "put <cid>". The test kills this process with SIGKILL somewhere in that loop.
if (args.Length != 2 || !int.TryParse(args[1], out int maxBlocks))
{
    await Console.Error.WriteLineAsync("usage: Helia.CrashWriter <repo> <max-blocks>");
    return 2;
}

await using Repo repo = await Repo.OpenAsync(args[0], CancellationToken.None);
await Console.Out.WriteLineAsync("open");
await Console.Out.FlushAsync();

var random = new Random(Environment.ProcessId);
for (int n = 0; n < maxBlocks; n++)
{
    byte[] bytes = new byte[random.Next(1, 256 * 1024)];
    random.NextBytes(bytes);
    Cid cid = Cid.Compute(Multicodec.Raw, bytes);
    await repo.Blocks.PutAsync(cid, bytes);
    await repo.Datastore.PutAsync(new DatastoreKey($"/crash/{n:D8}"), cid.ToArray());
    await Console.Out.WriteLineAsync($"put {cid}");
    await Console.Out.FlushAsync();
}

return 0;
