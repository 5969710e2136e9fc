namespace Helia.Benchmarks;

/// <summary>How to start this program again as a child process, and where the repository is.</summary>
internal static class Self
{
    public static string Command => Environment.ProcessPath ?? throw new InvalidOperationException("Unknown program path.");

    // Started as `dotnet Helia.Benchmarks.dll`, the children need the dll too.
    public static string[] Prefix =>
        Path.GetFileNameWithoutExtension(Command) == "dotnet" ? [typeof(Self).Assembly.Location] : [];

    public static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helia.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
