using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Cli.Tests;

/// <summary>Runs the CLI with stdout and stderr captured; these tests change process-wide Console state, so they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "Console capture (GPU commands)";

    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CliApp.RunAsync(args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    public static bool DriverPresent => GpuLibraryLoader.TryLoad(GpuLibrary.Cuda);

    public static bool NvmlPresent => GpuLibraryLoader.TryLoad(GpuLibrary.Nvml);
}

[Collection(ConsoleCapture.Name)]
public class GpuCommandTests
{
    [Theory]
    [InlineData("gpu")]
    [InlineData("gpu", "--json")]
    public async Task WithoutADriver_GpuPrintsOneSentence_AndFails(params string[] args)
    {
        Assert.SkipWhen(ConsoleCapture.DriverPresent, "an NVIDIA driver is installed here");
        var (exit, output, error) = await ConsoleCapture.RunAsync(args);
        Assert.Equal(1, exit);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: no NVIDIA driver or GPU found: The NVIDIA driver's CUDA library (libcuda.so.1) could not be loaded: install the NVIDIA driver", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Tried: ", line, StringComparison.Ordinal);
        Assert.Contains("--verbose", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutADriver_Verbose_ListsThePathsTried()
    {
        Assert.SkipWhen(ConsoleCapture.DriverPresent, "an NVIDIA driver is installed here");
        var (exit, _, error) = await ConsoleCapture.RunAsync("gpu", "--verbose");
        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: no NVIDIA driver or GPU found: ", line, StringComparison.Ordinal);
        Assert.Contains("Tried: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_library_list_is_cut_unless_verbose()
    {
        const string message = "NVML (libnvidia-ml.so.1) could not be loaded: install the driver. Tried: /a, /b.";
        Assert.Equal("no NVIDIA driver or GPU found: NVML (libnvidia-ml.so.1) could not be loaded: install the driver. (--verbose lists the paths tried)", GpuCommandRunner.Unavailable(message, verbose: false));
        Assert.EndsWith("Tried: /a, /b.", GpuCommandRunner.Unavailable(message, verbose: true), StringComparison.Ordinal);
        Assert.Equal("NVML (libnvidia-ml.so.1) could not be loaded: install the driver.", GpuCommandRunner.WithoutPathsTried(message));
    }
}
