using System.Runtime.InteropServices;
using System.Text;

namespace Helia.Core.IO;

/// <summary>
/// fsync of a directory, so that a rename into it (the last step of an atomic write) survives a power loss: POSIX makes
/// the new name durable only once the directory itself is flushed. .NET has no API for it (it refuses to open a
/// directory as a file), hence a small P/Invoke: open(O_RDONLY|O_DIRECTORY|O_CLOEXEC), fsync, close. Windows has no
/// such step (NTFS journals the rename), so there it does nothing.
/// </summary>
public static class DirectorySync
{
    private const int ORdOnly = 0;

    /// <summary>
    /// Flushes <paramref name="directory"/>'s entries to disk. Returns true when it did (Linux, macOS, other Unix),
    /// false where there is nothing to do (Windows). Throws <see cref="IOException"/> naming the directory and the errno.
    /// </summary>
    public static bool Flush(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        byte[] path = Encoding.UTF8.GetBytes(Path.GetFullPath(directory) + "\0");
        int fd = NativeMethods.Open(path, ORdOnly | CloseOnExec());
        if (fd < 0)
        {
            throw new IOException($"Cannot open the directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            // EINVAL: the file system cannot sync directories (some network and FUSE ones); the rename stands regardless.
            if (NativeMethods.Fsync(fd) != 0 && Marshal.GetLastPInvokeError() is int errno && errno != EInval)
            {
                throw new IOException($"Cannot flush the directory {directory} (errno {errno}).");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }

        return true;
    }

    private const int EInval = 22;

    // O_CLOEXEC on Linux (the same value on every architecture .NET runs on); elsewhere plain O_RDONLY. Every Unix
    // opens a directory read-only, and the path is always one we just wrote into, so O_DIRECTORY adds nothing.
    private static int CloseOnExec() => OperatingSystem.IsLinux() ? 0x80000 : 0;

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
