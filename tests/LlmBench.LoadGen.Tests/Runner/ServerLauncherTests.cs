using System.Net;
using System.Net.Sockets;
using LlmBench.LoadGen.Runner;

namespace LlmBench.LoadGen.Tests.Runner;

public class ServerLauncherTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_command_that_exits_early_is_reported_with_its_exit_code()
    {
        var ex = await Assert.ThrowsAsync<UserErrorException>(() =>
            ServerLauncher.StartAsync("sh -c 'exit 3'", new Uri($"http://127.0.0.1:{FreePort()}"), TextWriter.Null, TestContext.Current.CancellationToken));

        Assert.Contains("exited with code 3", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_gets_healthy_times_out()
    {
        var ex = await Assert.ThrowsAsync<UserErrorException>(() =>
            ServerLauncher.StartAsync("sleep 30", new Uri($"http://127.0.0.1:{FreePort()}"), TextWriter.Null, TestContext.Current.CancellationToken, TimeSpan.FromSeconds(1.5)));

        Assert.Contains("did not answer", ex.Message);
    }

    [Fact]
    public async Task A_healthy_server_is_waited_for_and_stopped_afterwards()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/python3"), "python3 serves the stand-in /health here");
        var dir = Directory.CreateTempSubdirectory("llmbench-launch-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "health"), "ok", TestContext.Current.CancellationToken);
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");

        var launcher = await ServerLauncher.StartAsync($"python3 -m http.server {port} --bind 127.0.0.1 --directory {dir} >/dev/null 2>&1", baseUrl, TextWriter.Null, TestContext.Current.CancellationToken);
        using (var http = new HttpClient())
            Assert.Equal("ok", await http.GetStringAsync(new Uri(baseUrl, "/health"), TestContext.Current.CancellationToken));
        await launcher.DisposeAsync();

        using var probe = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => probe.GetStringAsync(new Uri(baseUrl, "/health"), TestContext.Current.CancellationToken));
        Directory.Delete(dir, recursive: true);
    }
}
