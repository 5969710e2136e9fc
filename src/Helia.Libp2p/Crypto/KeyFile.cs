namespace Helia.Libp2p.Crypto;

/// <summary>Saves and loads an identity key as its PrivateKey protobuf bytes (readable by the owner only on Unix).</summary>
public static class KeyFile
{
    public static async Task SaveAsync(string path, PrivateKey key, CancellationToken cancellationToken = default)
    {
        byte[] bytes = key.Marshal();
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using var stream = new FileStream(path, options);
            await stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    public static async Task<PrivateKey> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        if (stream.Length > PrivateKey.MaxEncodedLength)
        {
            throw new KeyFormatException($"Key file {path} of {stream.Length} bytes exceeds {PrivateKey.MaxEncodedLength}.");
        }

        byte[] bytes = new byte[stream.Length];
        try
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            return PrivateKey.Unmarshal(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
