using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LlmBench.Cli.Tests.Serving;

/// <summary>A sweep with --launch starts the server once and runs every point against it.</summary>
[Collection(ConsoleCapture.Name)]
public sealed class BenchServeSweepLaunchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-sweep-launch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A stand-in OpenAI server: /health, and /v1/completions streaming two chunks and usage; it notes each start in a file.</summary>
    private const string StandIn = """
        import http.server, json, sys
        port, starts = int(sys.argv[1]), sys.argv[2]
        open(starts, "a").write("started\n")
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"
            def log_message(self, *a): pass
            def do_GET(self):
                self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(200); self.send_header("Content-Type", "text/event-stream"); self.end_headers()
                for text in ("ab", "cd"):
                    self.wfile.write(b"data: " + json.dumps({"choices": [{"index": 0, "text": text}]}).encode() + b"\n\n"); self.wfile.flush()
                self.wfile.write(b"data: " + json.dumps({"choices": [], "usage": {"prompt_tokens": 8, "completion_tokens": 2}}).encode() + b"\n\n")
                self.wfile.write(b"data: [DONE]\n\n")
        http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task The_launched_server_is_started_once_for_every_point()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "python3 runs the stand-in server here");
        var script = Path.Combine(_folder, "standin.py");
        var starts = Path.Combine(_folder, "starts.txt");
        await File.WriteAllTextAsync(script, StandIn, TestContext.Current.CancellationToken);
        var port = FreePort();
        var results = Path.Combine(_folder, "results");

        var (exit, _, error) = await ConsoleCapture.RunAsync(
            "bench", "serve", "--launch", $"/usr/bin/python3 {script} {port} {starts}", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--model", "stand-in", "--tokenizer", Fixtures.WideQwen3, "--num-prompts", "3", "--random-input-len", "8", "--random-output-len", "2",
            "--max-concurrency", "1,2,3", "--result-dir", results);

        Assert.True(exit == 0, error);
        Assert.Single(await File.ReadAllLinesAsync(starts, TestContext.Current.CancellationToken));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(results, "sweep.json"), TestContext.Current.CancellationToken));
        var points = doc.RootElement.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], points.Select(p => p.GetProperty("max_concurrency").GetInt32()));
        Assert.All(points, p => Assert.Equal(3, p.GetProperty("completed").GetInt32()));
    }
}
