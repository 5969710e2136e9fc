using System.Globalization;
using System.Text;
using CsCheck;
using Helia.Multiformats.Hashing;

namespace Helia.Multiformats.Tests;

public class HasherTests
{
    // Known answers computed with @noble/hashes (an independent implementation, in interop/js/node_modules) for
    // "abc" and for 3000 bytes (i * 31 + 7) & 0xff, long enough to span several BLAKE3 chunks and SHA-3 blocks.
    public static TheoryData<string, string, string?> KnownAnswers() => new()
    {
        { "sha3-224", "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf", "7dabd812c77de08c614470d13b6f06a2fdfc9c50fc743138ef7deaed" },
        { "sha3-256", "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532", "772e6bbd104437f8ed9c848d2719e7bf614218faab34985bee1c87610426ee69" },
        { "sha3-384", "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25", "23b9ba343cccd783205c7bbe816ae8ecdf9c381eb218923d8f875520d443134adb8a7ee5dfbd062afcfcc20f55d5010a" },
        { "sha3-512", "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0", "4f92b355d234537d02846d1d0f56d0b6c0a083af443ae21d540f6a37393a8c852c92014e23b18648d9004d49ef51cc05d3878cb0b4a3017b70d0fcee7311af3b" },
        { "keccak-256", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", "780720a666c665b4f22ef2065bcae28fee3271d978a0a548d302493b7ebacf33" },
        { "keccak-512", "18587dc2ea106b9a1563e32b3312421ca164c7f1f07bc922a9c83d77cea3a1e5d0c69910739025372dc14ac9642629379540c17e2a65b19d77aa511a9d00bb96", "661674c3c4f06797b2987f0f156e05098dcf527d7a9a2fe02113824388718e834d01391367492b809c926b9eec6056f8002c7083aa6c8eec128ae809e8d49d9f" },
        { "blake2b-256", "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", "71571bbd345bb63f301e26a06db59580a1b5ee2bc009e5f615375cc7aacbecda" },
        { "blake2b-512", "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923", "f4b5ce5b559f91c80d0010a31dfe3e5e748067ee838ea32e1402fe6255b89d6168a80c147a27fe54ac129c83107ba492d01908b697560f63f69f336b19bd5135" },
        { "blake2s-256", "508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", "d1f03c39f1a7894161271b68e6eba6a914f25892816fe01c504ae26a791e928a" },
        { "blake3", "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85", "e8399322cd0777e24d185a1db40fac663edeeab8c800b87d2d890b74a2818e25" },
        { "sha2-256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", null },
    };

    public static TheoryData<string, int, string, string> SpecVectorRows()
    {
        var data = new TheoryData<string, int, string, string>();
        foreach (string line in File.ReadLines(SpecVectors.PathOf(Path.Combine("multihash", "test_cases.csv"))).Skip(1))
        {
            string[] f = line.Split(',');
            if (f.Length == 4)
            {
                data.Add(f[0], int.Parse(f[1], CultureInfo.InvariantCulture), f[2], f[3]);
            }
        }

        return data;
    }

    private static byte[] Big { get; } = [.. Enumerable.Range(0, 3000).Select(i => (byte)((i * 31) + 7))];

    [Theory]
    [MemberData(nameof(SpecVectorRows))]
    public void Compute_SpecVector_TruncatedMultihashMatches(string algorithm, int bits, string input, string multihashHex)
    {
        // The vector file calls sha3-512 "sha3"; its input column is hashed as the ASCII text it is, not as hex.
        Multicodec code = MulticodecTable.Parse(algorithm == "sha3" ? "sha3-512" : algorithm);
        byte[] inputBytes = Encoding.ASCII.GetBytes(input);
        byte[] expected = Convert.FromHexString(multihashHex);

        Multihash full = Multihash.Compute(code, inputBytes);
        Multihash truncated = Multihash.Create(code, full.Digest[..(bits / 8)]);
        Assert.Equal(expected, truncated.ToArray());

        Multihash parsed = Multihash.Parse(expected);
        Assert.Equal(code, parsed.Algorithm);
        Assert.Equal(bits / 8, parsed.Digest.Length);
        Assert.True(parsed.Matches(inputBytes));
        Assert.False(parsed.Matches([.. inputBytes, 0]));
    }

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void Compute_KnownAnswer_MatchesReference(string name, string abcHex, string? bigHex)
    {
        MultihashHasher hasher = MultihashHashers.Get(MulticodecTable.Parse(name));
        Assert.Equal(name, hasher.Name);
        Multihash abc = hasher.ComputeMultihash("abc"u8);
        Assert.Equal(abcHex, Convert.ToHexStringLower(abc.Digest));
        Assert.Equal(hasher.DigestLength, abc.Digest.Length);
        Assert.True(abc.Matches("abc"u8));
        Assert.False(abc.Matches("abd"u8));
        if (bigHex is not null)
        {
            Assert.Equal(bigHex, Convert.ToHexStringLower(hasher.ComputeMultihash(Big).Digest));
        }
    }

    [Fact]
    public async Task ComputeAsync_EveryHasherOverStream_EqualsOneShot()
    {
        // 200 KB: several of ComputeAsync's 64 KiB reads.
        byte[] data = new byte[200_000];
        new Random(7).NextBytes(data);
        foreach (MultihashHasher hasher in MultihashHashers.All.Where(h => h.Code != (ulong)Multicodec.Identity))
        {
            using var stream = new MemoryStream(data, writable: false);
            Multihash streamed = await hasher.ComputeAsync(stream, TestContext.Current.CancellationToken);
            Assert.Equal(hasher.ComputeMultihash(data), streamed);
        }
    }

    [Fact]
    public void Incremental_AnySplitAnyHasher_EqualsOneShotAndResets()
    {
        MultihashHasher[] hashers = [.. MultihashHashers.All];
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 300], Gen.Int[0, hashers.Length - 1]).Sample((data, cut, index) =>
        {
            MultihashHasher hasher = hashers[index];
            int split = Math.Min(cut, data.Length);
            using IncrementalHasher incremental = hasher.CreateIncremental();
            if (hasher.Code == (ulong)Multicodec.Identity && data.Length > Multihash.MaxDigestLength)
            {
                return true;
            }

            incremental.Append(data.AsSpan(0, split));
            incremental.Append(data.AsSpan(split));
            Multihash first = incremental.FinishMultihash();
            incremental.Append(data);
            Multihash again = incremental.FinishMultihash();
            return first == hasher.ComputeMultihash(data) && again == first;
        });
    }

    [Fact]
    public void Incremental_Finish_WritesDigest()
    {
        using IncrementalHasher incremental = MultihashHashers.Get(Multicodec.Sha2_256).CreateIncremental();
        incremental.Append("ab"u8);
        incremental.Append("c"u8);
        byte[] digest = new byte[32];
        incremental.Finish(digest);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(digest));
        Assert.Throws<ArgumentException>(() => incremental.Finish(new byte[31]));
    }

    [Fact]
    public void Identity_WithinBound_IsTheData_AndOverBoundThrows()
    {
        MultihashHasher identity = MultihashHashers.Get(Multicodec.Identity);
        Multihash hash = identity.ComputeMultihash("hello"u8);
        Assert.Equal("hello"u8.ToArray(), hash.Digest.ToArray());
        Assert.Equal(7, hash.EncodedLength);  // 00 05 and the five bytes
        Assert.True(hash.Matches("hello"u8));
        Assert.False(hash.Matches("hell"u8));
        Assert.Throws<MultihashException>(() => identity.ComputeMultihash(new byte[Multihash.MaxDigestLength + 1]));

        using IncrementalHasher incremental = identity.CreateIncremental();
        incremental.Append(new byte[Multihash.MaxDigestLength]);
        Assert.Throws<MultihashException>(() => incremental.Append([1]));
    }

    [Theory]
    // Longer BLAKE3 outputs of the same inputs as above, from @noble/hashes' blake3 with dkLen (an independent implementation).
    [InlineData("abc", "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d851fb250ae7393f5d02813b65d521a0d492d9ba09cf7ce7f4cffd900f23374bf0b")]
    [InlineData(null, "e8399322cd0777e24d185a1db40fac663edeeab8c800b87d2d890b74a2818e258a6351a6310072db15c8d7fb17ff82a09e978f6dd1b3919b60a6bca5c471c890b9ed5adda62433de24597be37b592b98e1bd307f83395a5216dfc62f0c5d41c85aae922d")]
    public void Matches_Blake3LongerDigest_VerifiesAgainstExtendedOutput(string? text, string hex)
    {
        byte[] data = text is null ? [.. Enumerable.Range(0, 3000).Select(i => (byte)((i * 31) + 7))] : Encoding.UTF8.GetBytes(text);
        byte[] digest = Convert.FromHexString(hex);

        Assert.True(Multihash.Create(Multicodec.Blake3, digest).Matches(data));
        Assert.True(Multihash.Create(Multicodec.Blake3, digest.AsSpan(0, 40)).Matches(data));
        digest[^1] ^= 1;
        Assert.False(Multihash.Create(Multicodec.Blake3, digest).Matches(data));
        Assert.False(Multihash.Create(Multicodec.Blake2b256, new byte[64]).Matches(data));
    }

    [Fact]
    public void Matches_OtherFunctionOrEmptyDigest_IsFalse()
    {
        byte[] data = Encoding.UTF8.GetBytes("data");
        Multihash sha256 = Multihash.Compute(Multicodec.Sha2_256, data);
        Assert.False(MultihashHashers.Get(Multicodec.Blake3).Matches(sha256, data));
        Assert.False(Multihash.Create(Multicodec.Sha2_256, []).Matches(data));
        Assert.False(Multihash.Create(Multicodec.Sha2_256, new byte[33]).Matches(data));
    }

    [Fact]
    public void Get_UnknownFunction_ThrowsMultihashException()
    {
        Assert.Throws<MultihashException>(() => MultihashHashers.Get(Multicodec.Murmur3X64_64));
        Assert.Throws<MultihashException>(() => Multihash.Create(Multicodec.Murmur3X64_64, new byte[8]).Matches([1]));
        Assert.Equal("murmur3-x64-64", MultihashHashers.NameOf((ulong)Multicodec.Murmur3X64_64));
    }
}
