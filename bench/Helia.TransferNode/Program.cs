using Helia.TransferNode;

// The transfer benchmark's node, the counterpart of interop/js/bench/js-node.mjs (bench/README.md, end to end), run as a
// child process by bench/Helia.Benchmarks, its JIT build and its Native AOT build alike:
//   Helia.TransferNode import --size BYTES [--seed N] [--file PATH]
//   Helia.TransferNode serve --size BYTES [--seed N] [--small N] [--warmup-size BYTES] [--store memory|flatfs]
//   Helia.TransferNode fetch --addr MULTIADDR --cid CID [--small CID,…] [--warmup-cid CID] [--store memory|flatfs]
if (args.Length == 0 || args[0] is not ("import" or "serve" or "fetch"))
{
    Console.Error.WriteLine("usage: Helia.TransferNode import|serve|fetch [options] (see bench/README.md)");
    return 2;
}

return await BenchNode.RunAsync(args);
