using System.Globalization;
using System.Text.Json;
using Helia.Multiformats;

namespace Helia.Interop.Tests;

/// <summary>
/// JS Helia (interop/js/helia-peer.mjs) as a child process: commands go to its stdin with an id, and every line it
/// prints lands in a backlog that <see cref="WaitForAsync"/> searches, so answers and unasked events (presences, received
/// wants) can be awaited in any order without polling. Other peer scripts that speak the same line protocol (a "ready"
/// line first, then id-tagged answers) run through <see cref="StartScriptAsync"/>.
/// </summary>
internal sealed class JsHeliaPeer : IAsyncDisposable
{
    private readonly NodePeer _node;
    private readonly string _script;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<JsonElement> _backlog = [];
    private readonly Lock _lock = new();
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _ended;
    private int _nextId;

    private JsHeliaPeer(NodePeer node, string script)
    {
        _node = node;
        _script = script;
        _pump = PumpAsync();
    }

    public PeerId Id { get; private set; }

    /// <summary>Its TCP listen address on 127.0.0.1, with /p2p/ID.</summary>
    public Multiaddr Address { get; private set; } = null!;

    public static Task<JsHeliaPeer> StartAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments) =>
        StartScriptAsync("helia-peer.mjs", timeout, cancellationToken, arguments);

    /// <summary>Starts <paramref name="script"/> (a path relative to interop/js) and waits for its "ready" line.</summary>
    public static async Task<JsHeliaPeer> StartScriptAsync(string script, TimeSpan timeout, CancellationToken cancellationToken, params string[] arguments)
    {
        var peer = new JsHeliaPeer(NodePeer.Start(script, arguments), script);
        try
        {
            JsonElement ready = await peer.WaitForAsync(e => Is(e, "ready"), timeout, cancellationToken);
            peer.Id = PeerId.Parse(ready.GetProperty("peerId").GetString()!);
            peer.Address = Multiaddr.Parse(ready.GetProperty("addrs")[0].GetString()!);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }
    }

    public string StandardError => _node.StandardError;

    /// <summary>Awaits a C# side task; on timeout the exception carries JS Helia's stderr (set DEBUG=helia:* to fill it).</summary>
    public async Task<T> WithinAsync<T>(Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {timeout}. JS Helia's stderr:\n{StandardError}", ex);
        }
    }

    public static bool Is(JsonElement e, string eventName) => e.GetProperty("event").GetString() == eventName;

    /// <summary>Sends a command and returns its answer; an "error" answer becomes a <see cref="JsHeliaException"/>.</summary>
    public async Task<JsonElement> CommandAsync(string command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _node.WriteLineAsync($"{id} {command}", cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }

        JsonElement answer = await WaitForAsync(e => e.TryGetProperty("id", out JsonElement i) && i.GetString() == id, timeout, cancellationToken);
        if (Is(answer, "error"))
        {
            throw new JsHeliaException(answer.GetProperty("name").GetString()!, answer.GetProperty("message").GetString()!);
        }

        return answer;
    }

    public async Task<Cid> PutAsync(string hash, byte[] data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        JsonElement put = await CommandAsync($"put {hash} raw {Convert.ToBase64String(data)}", timeout, cancellationToken);
        return Cid.Parse(put.GetProperty("cid").GetString()!);
    }

    /// <summary>JS Helia's blockstore get (local, then Bitswap), aborted by JS after <paramref name="jsTimeout"/>.</summary>
    public async Task<byte[]> GetAsync(Cid cid, TimeSpan jsTimeout, TimeSpan timeout, CancellationToken cancellationToken)
    {
        JsonElement got = await CommandAsync($"get {cid} {(int)jsTimeout.TotalMilliseconds}", timeout, cancellationToken);
        return Convert.FromBase64String(got.GetProperty("data").GetString()!);
    }

    /// <summary>
    /// Waits until JS Bitswap counts <paramref name="peer"/> as connected, which happens only after JS has identified it.
    /// A want JS makes before that reaches the peer in the full wantlist, as want-block without sendDontHave.
    /// </summary>
    public async Task WaitForBitswapPeerAsync(PeerId peer, TimeSpan timeout, CancellationToken cancellationToken) =>
        await CommandAsync($"bitswap-peer {peer}", timeout, cancellationToken);

    /// <summary>Whether JS Helia's local blockstore has the block (no network).</summary>
    public async Task<bool> HasAsync(Cid cid, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await CommandAsync($"has {cid}", timeout, cancellationToken)).GetProperty("has").GetBoolean();

    /// <summary>The CIDs JS Helia's engine holds as <paramref name="peer"/>'s wants (empty when it has no ledger).</summary>
    public async Task<IReadOnlyList<string>> PeerWantlistAsync(PeerId peer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        JsonElement answer = await CommandAsync($"peer-wantlist {peer}", timeout, cancellationToken);
        return Strings(answer.GetProperty("cids"));
    }

    /// <summary>JS Helia's own wantlist.</summary>
    public async Task<IReadOnlyList<string>> WantlistAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Strings((await CommandAsync("wantlist", timeout, cancellationToken)).GetProperty("cids"));

    public static IReadOnlyList<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Null ? [] : [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Removes and returns every line printed so far that matches, without waiting for more.</summary>
    public IReadOnlyList<JsonElement> TakeAll(Func<JsonElement, bool> match)
    {
        lock (_lock)
        {
            List<JsonElement> taken = [.. _backlog.Where(match)];
            _backlog.RemoveAll(e => match(e));
            return taken;
        }
    }

    /// <summary>Removes and returns the first printed line that matches, waiting for it if need be.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (int i = 0; i < _backlog.Count; i++)
                {
                    if (match(_backlog[i]))
                    {
                        JsonElement found = _backlog[i];
                        _backlog.RemoveAt(i);
                        return found;
                    }
                }

                if (_ended is not null)
                {
                    throw new InvalidOperationException($"{_script} stopped printing before the awaited line.", _ended);
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                string seen;
                lock (_lock)
                {
                    seen = string.Join('\n', _backlog.Select(e => e.ToString()));
                }

                throw new TimeoutException($"{_script} did not print the awaited line within {timeout}. Unclaimed lines:\n{seen}\nIts stderr:\n{_node.StandardError}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();   // closes stdin, then kills the process if it lingers
        await _stopping.CancelAsync();
        await _pump;
        _stopping.Dispose();
        _writeLock.Dispose();
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            JsonElement line;
            try
            {
                line = await _node.ReadJsonAsync(Timeout.InfiniteTimeSpan, _stopping.Token);
            }
            catch (Exception ex)
            {
                Publish(null, ex);
                return;
            }

            Publish(line, null);
        }
    }

    private void Publish(JsonElement? line, Exception? ended)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (line is { } l)
            {
                _backlog.Add(l);
            }

            _ended ??= ended;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}

internal sealed class JsHeliaException(string name, string message) : Exception($"{name}: {message}")
{
    public string Name { get; } = name;
}
