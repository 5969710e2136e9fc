using System.Buffers;
using System.IO.Pipelines;
using CsCheck;

namespace Helia.Testing;

/// <summary>
/// Generators of malformed input for the parsers' robustness properties: uniformly random bytes, and valid encodings
/// with one to three mutations (a flipped bit, a replaced byte, a truncation, inserted or deleted bytes, an overlong or
/// non-minimal varint, a huge length as a varint or as 4 big-endian bytes). Each parser must answer every one with its
/// own documented exception or a result, never another exception, a hang or an allocation sized by the input's claim.
/// </summary>
internal static class BadInput
{
    /// <summary>A varint that never ends within 10 bytes (protobuf and multiformats both refuse it).</summary>
    private static readonly byte[] s_overlongVarint = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];

    /// <summary>The value 1 written in 4 bytes instead of 1 (non-minimal).</summary>
    private static readonly byte[] s_nonMinimalVarint = [0x81, 0x80, 0x80, 0x00];

    /// <summary>0xFFFFFFFF as a varint: the length prefix of a 4 GiB field.</summary>
    private static readonly byte[] s_hugeVarint = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F];

    /// <summary>0x7FFFFFFF as a varint: int.MaxValue, the largest length that survives a cast to int.</summary>
    private static readonly byte[] s_intMaxVarint = [0xFF, 0xFF, 0xFF, 0xFF, 0x07];

    private const int Kinds = 9;

    /// <summary>Uniformly random bytes, 0 to <paramref name="maxLength"/> of them.</summary>
    public static Gen<byte[]> RandomBytes(int maxLength) => Gen.Byte.Array[0, maxLength];

    /// <summary>One to three mutations, to apply to any input (for inputs made inside the property, such as handshake messages).</summary>
    public static Gen<Func<byte[], byte[]>> Mutation { get; } =
        Gen.Select(Gen.Int[0, Kinds - 1], Gen.Int[0, 1 << 20], Gen.Int[0, 16], Gen.Byte.Array[1, 8]).Array[1, 3].Select(mutations => (Func<byte[], byte[]>)(bytes =>
        {
            foreach ((int kind, int position, int count, byte[] random) in mutations)
            {
                bytes = Apply(bytes, kind, position, count, random);
            }

            return bytes;
        }));

    /// <summary>One of <paramref name="valid"/> with one to three mutations.</summary>
    public static Gen<byte[]> Mutated(params byte[][] valid)
    {
        if (valid.Length == 0)
        {
            throw new ArgumentException("At least one valid input is needed.", nameof(valid));
        }

        return Gen.Select(Gen.Int[0, valid.Length - 1], Mutation, (index, mutate) => mutate(valid[index]));
    }

    /// <summary>Random bytes or a mutation of <paramref name="valid"/>, half and half.</summary>
    public static Gen<byte[]> RandomOrMutated(int maxRandomLength, params byte[][] valid) =>
        Gen.OneOf(RandomBytes(maxRandomLength), Mutated(valid));

    /// <summary>Every proper prefix of <paramref name="valid"/>, from empty to one byte short.</summary>
    public static IEnumerable<byte[]> Truncations(byte[] valid)
    {
        for (int length = 0; length < valid.Length; length++)
        {
            yield return valid[..length];
        }
    }

    /// <summary>A reader holding <paramref name="bytes"/> and then the end of the stream, as a peer that sent them and closed.</summary>
    public static PipeReader ReaderOf(byte[] bytes)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        pipe.Writer.Write(bytes);
        pipe.Writer.Complete();
        return pipe.Reader;
    }

    /// <summary>Runs <paramref name="parse"/>; its documented <typeparamref name="TException"/> is an answer, anything else fails the property.</summary>
    public static void ParsesOrThrows<TException>(Action parse)
        where TException : Exception
    {
        try
        {
            parse();
        }
        catch (TException)
        {
        }
    }

    /// <summary>The async <see cref="ParsesOrThrows{TException}(Action)"/>, bounded in time so a hang fails the property.</summary>
    public static async Task ParsesOrThrowsAsync<TException>(Func<Task> parse, TimeSpan timeout)
        where TException : Exception
    {
        try
        {
            await parse().WaitAsync(timeout);
        }
        catch (TException)
        {
        }
    }

    private static byte[] Apply(byte[] bytes, int kind, int position, int count, byte[] random)
    {
        int at = position % (bytes.Length + 1);          // an insertion point: 0..Length
        int index = bytes.Length == 0 ? -1 : position % bytes.Length;
        return kind switch
        {
            0 when index >= 0 => Replace(bytes, index, [(byte)(bytes[index] ^ (1 << (count % 8)))]),
            1 when index >= 0 => Replace(bytes, index, [random[0]]),
            2 => bytes[..at],
            3 => Insert(bytes, at, random),
            4 => [.. bytes[..at], .. bytes[Math.Min(bytes.Length, at + count + 1)..]],
            5 => Insert(bytes, at, count % 2 == 0 ? s_overlongVarint : s_nonMinimalVarint),
            6 when index >= 0 => Replace(bytes, index, count % 2 == 0 ? s_hugeVarint : s_intMaxVarint),
            7 when index >= 0 => Replace(bytes, index, [0xFF, 0xFF, 0xFF, 0xFF]),
            8 => Insert(bytes, at, count % 2 == 0 ? s_hugeVarint : s_intMaxVarint),
            _ => Insert(bytes, at, random),
        };
    }

    /// <summary>Overwrites bytes from <paramref name="index"/> (growing the input when they run past its end).</summary>
    private static byte[] Replace(byte[] bytes, int index, byte[] with)
    {
        byte[] result = new byte[Math.Max(bytes.Length, index + with.Length)];
        bytes.CopyTo(result, 0);
        with.CopyTo(result, index);
        return result;
    }

    private static byte[] Insert(byte[] bytes, int at, byte[] what) => [.. bytes[..at], .. what, .. bytes[at..]];
}
