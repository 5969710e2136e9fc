using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Helia.Cli.Http.Rpc;

/// <summary>One part of a Kubo upload: its (URL-decoded) file name, content type, and a body stream valid until the next part.</summary>
public sealed record RpcUploadPart(string Name, string ContentType, Stream Content)
{
    /// <summary>Kubo marks directory parts with this content type; they carry no data.</summary>
    public const string DirectoryContentType = "application/x-directory";

    /// <summary>Kubo sends a symlink as a part of this type whose body is the link's target.</summary>
    public const string SymlinkContentType = "application/symlink";

    public bool IsDirectory => ContentType.Equals(DirectoryContentType, StringComparison.OrdinalIgnoreCase);

    public bool IsSymlink => ContentType.Equals(SymlinkContentType, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Reads the multipart/form-data bodies of add and block put, part by part, without buffering whole files.</summary>
public static class RpcMultipart
{
    /// <summary>Longest multipart boundary accepted (RFC 2046 allows 70).</summary>
    public const int MaxBoundaryLength = 70;

    public static async IAsyncEnumerable<RpcUploadPart> ReadPartsAsync(HttpRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException("file argument 'data' is required: send the body as multipart/form-data", RpcErrorCode.Client);
        }

        string boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
        if (boundary.Length == 0 || boundary.Length > MaxBoundaryLength)
        {
            throw new RpcException("multipart/form-data body without a valid boundary", RpcErrorCode.Client);
        }

        var reader = new MultipartReader(boundary, request.Body);
        while (true)
        {
            MultipartSection? section;
            try
            {
                section = await reader.ReadNextSectionAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new RpcException($"malformed multipart body: {ex.Message}", RpcErrorCode.Client);
            }
            catch (InvalidDataException ex)
            {
                throw new RpcException($"malformed multipart body: {ex.Message}", RpcErrorCode.Client);
            }

            if (section is null)
            {
                yield break;
            }

            string name = "";
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
            {
                string? fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).ToString();
                name = string.IsNullOrEmpty(fileName) ? "" : Uri.UnescapeDataString(fileName);
            }

            yield return new RpcUploadPart(name, section.ContentType ?? "application/octet-stream", section.Body);
        }
    }

    /// <summary>Reads a part whole, refusing one longer than <paramref name="maxLength"/> before buffering more.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream content, int maxLength, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        while (true)
        {
            int read = await content.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxLength)
            {
                throw new RpcException($"produced block is over {maxLength} bytes: use allow-big-block to override");
            }

            buffer.Write(chunk.AsSpan(0, read));
        }
    }
}
