using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmBench.Benchmarks.Frameworks;

/// <summary>
/// A framework worker process speaking JSON lines: one request object per line on its stdin, one reply object per line
/// on its stdout ({"ok": true, ...} or {"ok": false, "kind": ..., "error": ...}); its stderr is its log, passed on line by
/// line and kept (the last lines) for error messages. The worker first says {"ok": true, "op": "ready"}. Requests are
/// made from one thread at a time; cancelling one kills the worker.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private const int KeptLogLines = 12;

    private readonly Process _process;
    private readonly string _backend;
    private readonly Queue<string> _log = new();

    /// <summary>Set when the worker's stderr reaches its end (every log line has been handled).</summary>
    private readonly ManualResetEventSlim _logClosed = new();
    private readonly Action<string>? _logSink;

    private WorkerProcess(Process process, string backend, Action<string>? logSink)
    {
        _process = process;
        _backend = backend;
        _logSink = logSink;
    }

    /// <summary>True once the worker has exited (or was killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="python"/> on <paramref name="script"/> and waits for its ready line.
    /// </summary>
    /// <param name="backend">The backend's name, for messages ("hf", "hf-compile").</param>
    /// <param name="logSink">Gets each line the worker writes to stderr.</param>
    public static WorkerProcess Start(string backend, string python, string script, Action<string>? logSink, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add(script);
        start.Environment["PYTHONUNBUFFERED"] = "1";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{python} did not start");
        }
        catch (Win32Exception ex)
        {
            throw new WorkerException(
                $"The {backend} backend needs Python, but '{python}' could not be started ({ex.Message}); install Python 3 with torch and transformers, or pass --python with the interpreter that has them.",
                "no_python", workerAlive: false, ex);
        }

        var worker = new WorkerProcess(process, backend, logSink);
        process.ErrorDataReceived += (_, e) => worker.OnLog(e.Data);
        process.BeginErrorReadLine();
        try
        {
            var ready = worker.ReadReply("starting", cancellationToken);
            if (ready["op"]?.GetValue<string>() != "ready")
                throw worker.BadOutput($"its first line was {ready.ToJsonString()}, not the ready line");
        }
        catch
        {
            worker.Dispose();
            throw;
        }

        return worker;
    }

    /// <summary>Sends <paramref name="request"/> and returns the reply when it says ok; otherwise throws <see cref="WorkerException"/>.</summary>
    /// <param name="doing">What the request does, for messages ("loading the model", "generating").</param>
    public JsonObject Request(JsonObject request, string doing, CancellationToken cancellationToken)
    {
        if (_process.HasExited)
            throw Exited(doing);
        try
        {
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
        }
        catch (IOException ex)
        {
            throw Exited(doing, ex);
        }

        var reply = ReadReply(doing, cancellationToken);
        if (reply["ok"]?.GetValueKind() == JsonValueKind.True)
            return reply;
        var kind = reply["kind"] is JsonValue k && k.TryGetValue<string>(out var kindText) ? kindText : "error";
        var error = reply["error"] is JsonValue e && e.TryGetValue<string>(out var errorText) ? errorText : reply.ToJsonString();
        throw new WorkerException(error, kind, workerAlive: true);
    }

    private JsonObject ReadReply(string doing, CancellationToken cancellationToken)
    {
        string? line;
        using (cancellationToken.Register(Kill))
        {
            try
            {
                line = _process.StandardOutput.ReadLine();
            }
            catch (IOException ex)
            {
                throw Exited(doing, ex);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (line is null)
            throw Exited(doing);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            node = null;
        }

        if (node is not JsonObject reply || reply["ok"] is not JsonValue ok || ok.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            throw BadOutput($"it wrote '{Shorten(line)}' while {doing}, which is not a JSON reply");
        return reply;
    }

    private WorkerException BadOutput(string what)
    {
        Kill();
        return new WorkerException($"The {_backend} worker does not speak llmbench's protocol: {what}; pass --python with a Python 3 interpreter.", "bad_output", workerAlive: false);
    }

    private WorkerException Exited(string doing, Exception? inner = null)
    {
        // WaitForExit with a timeout does not wait for the asynchronous stderr handler: wait (briefly, as a child process
        // may keep the pipe open) for the end of stderr too, so the last words are in the log before it is read.
        _process.WaitForExit(5000);
        _logClosed.Wait(TimeSpan.FromSeconds(2));
        var code = _process.HasExited ? $"with code {_process.ExitCode}" : "(its output closed)";
        var log = LastLog();
        return new WorkerException($"The {_backend} worker exited {code} while {doing}{(log is null ? "" : $"; its last words: {log}")}.", "exited", workerAlive: false, inner);
    }

    /// <summary>The worker's last log line that says something (a traceback's last line), or null.</summary>
    public string? LastLog()
    {
        lock (_log)
            return _log.Reverse().FirstOrDefault(l => l.Trim().Length > 0)?.Trim();
    }

    private void OnLog(string? line)
    {
        if (line is null)
        {
            _logClosed.Set();
            return;
        }
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > KeptLogLines)
                _log.Dequeue();
        }

        _logSink?.Invoke(line);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Asks the worker to stop, then kills it if it has not within a few seconds.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("{\"op\":\"shutdown\"}");
                _process.StandardInput.Close();
                if (!_process.WaitForExit(10_000))
                    Kill();
            }

            _process.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            Kill();
        }

        _process.Dispose();
        _logClosed.Dispose();
    }
}
