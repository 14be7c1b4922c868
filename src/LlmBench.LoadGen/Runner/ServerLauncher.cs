using System.Diagnostics;

namespace LlmBench.LoadGen.Runner;

/// <summary>
/// --launch "COMMAND": starts a server through /bin/sh (exec, so the shell is replaced and signals
/// reach the server), waits until GET /health answers 200 (up to <see cref="ReadyTimeout"/>), and at
/// the end stops it with SIGTERM, then SIGKILL if it has not exited within <see cref="StopGrace"/>.
/// </summary>
public sealed class ServerLauncher : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(240);
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly Process _process;

    private ServerLauncher(Process process) => _process = process;

    public static async Task<ServerLauncher> StartAsync(string command, Uri baseUrl, TextWriter log, CancellationToken cancellationToken, TimeSpan? readyTimeout = null)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec " + command);
        var process = Process.Start(start) ?? throw new UserErrorException($"Could not start the server command: {command}");
        var launcher = new ServerLauncher(process);
        await log.WriteLineAsync($"Started server (pid {process.Id}): {command}");
        try
        {
            await launcher.WaitHealthyAsync(new Uri(baseUrl, "/health"), readyTimeout ?? ReadyTimeout, cancellationToken);
        }
        catch
        {
            await launcher.DisposeAsync();
            throw;
        }

        return launcher;
    }

    private async Task WaitHealthyAsync(Uri health, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
                throw new UserErrorException($"The launched server exited with code {_process.ExitCode} before {health} answered; check the command and its output above.");
            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // One probe timed out; try again until the deadline.
            }

            await Task.Delay(500, cancellationToken);
        }

        throw new UserErrorException($"The launched server did not answer {health} within {timeout.TotalSeconds:F0} s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the server shut down cleanly; `kill` keeps signal sending out of managed interop.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
