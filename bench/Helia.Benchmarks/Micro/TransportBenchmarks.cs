using System.IO.Pipelines;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Helia.Libp2p;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Security.Noise;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Benchmarks.Micro;

/// <summary>
/// The transport's frame paths in memory, both ends in this process: one 64 KiB write on one side, read to the end on
/// the other. Noise encrypts in the sender's flush and decrypts in the receiver's read (the code a TCP
/// connection runs, minus the socket); Yamux frames and unframes through a stream; the stack is Yamux over Noise.
/// </summary>
[MemoryDiagnoser]
public class TransportBenchmarks
{
    private const int NoiseFrame = NoiseFrameWriter.MaxPlaintextSize;   // the largest frame's plaintext our writer sends
    private const int Chunk = 64 * 1024;

    private static readonly PipeOptions s_connectionPipe = new(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false);

    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(Chunk);
    private readonly byte[] _ciphertext = new byte[NoiseFrame + 16];
    private NoiseCipher _cipher = null!;
    private NoiseChannel _noiseSender = null!;
    private NoiseChannel _noiseReceiver = null!;
    private IMuxedConnection _yamuxDialer = null!;
    private IMuxedConnection _yamuxListener = null!;
    private IMuxedStream _yamuxSender = null!;
    private IMuxedStream _yamuxReceiver = null!;
    private NoiseChannel _stackNoiseDialer = null!;
    private NoiseChannel _stackNoiseListener = null!;
    private IMuxedConnection _stackDialer = null!;
    private IMuxedConnection _stackListener = null!;
    private IMuxedStream _stackSender = null!;
    private IMuxedStream _stackReceiver = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _cipher = new NoiseCipher(RandomNumberGenerator.GetBytes(NoiseCipher.KeySize));
        (_noiseSender, _noiseReceiver) = NoisePair();

        (IDuplexPipe a, IDuplexPipe b) = PipePair();
        var muxer = new YamuxMuxer();
        _yamuxDialer = muxer.Start(a, isInitiator: true);
        _yamuxListener = muxer.Start(b, isInitiator: false);
        (_yamuxSender, _yamuxReceiver) = await OpenAsync(_yamuxDialer, _yamuxListener);

        (_stackNoiseDialer, _stackNoiseListener) = NoisePair();
        _stackDialer = muxer.Start(_stackNoiseDialer, isInitiator: true);
        _stackListener = muxer.Start(_stackNoiseListener, isInitiator: false);
        (_stackSender, _stackReceiver) = await OpenAsync(_stackDialer, _stackListener);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (IAsyncDisposable disposable in (IAsyncDisposable[])[_yamuxSender, _yamuxReceiver, _yamuxDialer, _yamuxListener,
            _stackSender, _stackReceiver, _stackDialer, _stackListener, _stackNoiseDialer, _stackNoiseListener, _noiseSender, _noiseReceiver])
        {
            await disposable.DisposeAsync();
        }

        _cipher.Dispose();
    }

    [Benchmark(Description = "ChaCha20-Poly1305 encrypt of one 64 KiB Noise frame")]
    [Throughput(NoiseFrame, LimitReference.ChaCha20Poly1305)]
    public byte[] NoiseCipherEncrypt()
    {
        _cipher.Encrypt(_payload.AsSpan(0, NoiseFrame), _ciphertext, []);
        return _ciphertext;
    }

    [Benchmark(Description = "Noise channel: one 64 KiB frame encrypted + decrypted")]
    [Throughput(NoiseFrame, LimitReference.ChaCha20Poly1305EncryptAndDecrypt)]
    public Task NoiseChannelFrame() => SendAsync(_noiseSender.Output, _noiseReceiver.Input, NoiseFrame);

    [Benchmark(Description = "Yamux stream: 64 KiB written and read, in memory")]
    [Throughput(Chunk)]
    public Task YamuxStream() => SendAsync(_yamuxSender.Output, _yamuxReceiver.Input, Chunk);

    [Benchmark(Description = "Yamux over Noise: 64 KiB written and read, in memory")]
    [Throughput(Chunk, LimitReference.ChaCha20Poly1305EncryptAndDecrypt)]
    public Task YamuxOverNoise() => SendAsync(_stackSender.Output, _stackReceiver.Input, Chunk);

    private async Task SendAsync(PipeWriter output, PipeReader input, int count)
    {
        await output.WriteAsync(_payload.AsMemory(0, count));
        await ReceiveAsync(input, count);
    }

    /// <summary>Reads and consumes exactly <paramref name="count"/> bytes from <paramref name="input"/>.</summary>
    internal static async Task ReceiveAsync(PipeReader input, long count)
    {
        long left = count;
        while (left > 0)
        {
            ReadResult result = await input.ReadAsync();
            long take = Math.Min(left, result.Buffer.Length);
            input.AdvanceTo(result.Buffer.GetPosition(take));
            left -= take;
            if (left > 0 && result.IsCompleted)
            {
                throw new InvalidOperationException($"The receiving side ended {left} bytes short.");
            }
        }
    }

    private static (IDuplexPipe A, IDuplexPipe B) PipePair()
    {
        var aToB = new Pipe(s_connectionPipe);
        var bToA = new Pipe(s_connectionPipe);
        return (new Duplex(bToA.Reader, aToB.Writer), new Duplex(aToB.Reader, bToA.Writer));
    }

    private static (NoiseChannel A, NoiseChannel B) NoisePair()
    {
        byte[] aToB = RandomNumberGenerator.GetBytes(NoiseCipher.KeySize);
        byte[] bToA = RandomNumberGenerator.GetBytes(NoiseCipher.KeySize);
        (IDuplexPipe a, IDuplexPipe b) = PipePair();
        return (new NoiseChannel(a, new NoiseCipher(aToB), new NoiseCipher(bToA), NullLogger.Instance),
            new NoiseChannel(b, new NoiseCipher(bToA), new NoiseCipher(aToB), NullLogger.Instance));
    }

    private static async Task<(IMuxedStream Sender, IMuxedStream Receiver)> OpenAsync(IMuxedConnection dialer, IMuxedConnection listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        IMuxedStream sender = await dialer.OpenStreamAsync(timeout.Token);
        IMuxedStream receiver = await listener.AcceptStreamAsync(timeout.Token);
        return (sender, receiver);
    }

    private sealed record Duplex(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
