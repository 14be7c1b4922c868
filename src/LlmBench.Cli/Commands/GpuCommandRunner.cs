using LlmBench.Gpu;

namespace LlmBench.Cli;

/// <summary>
/// Runs a GPU command body through <see cref="CommandRunner"/>, turning what the machine lacks (driver, GPU,
/// library, memory) into the one-line user error it prints, since LlmBench.Gpu cannot know the CLI's exception type.
/// </summary>
internal static class GpuCommandRunner
{
    /// <summary>--verbose: when no GPU is usable, also every library path that was tried.</summary>
    public static readonly System.CommandLine.Option<bool> Verbose = new("--verbose") { Description = "When no GPU can be used, show every library path tried and the loader's errors." };

    /// <summary>
    /// What a machine without a usable GPU is told first: "no NVIDIA driver or GPU found", then the reason; the list of
    /// library paths tried (hundreds of characters) only under --verbose.
    /// </summary>
    public static string Unavailable(string message, bool verbose) =>
        $"no NVIDIA driver or GPU found: {(verbose ? message : WithoutPathsTried(message, " (--verbose lists the paths tried)"))}";

    /// <summary>A library-loading failure without its list of every path tried (the reason and what to install stay).</summary>
    public static string WithoutPathsTried(string message, string replacement = "")
    {
        var tried = message.IndexOf(" Tried: ", StringComparison.Ordinal);
        return tried >= 0 ? message[..tried] + replacement : message;
    }

    public static Task<int> RunAsync(System.CommandLine.ParseResult parse, Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken) =>
        RunAsync(body, cancellationToken, parse.GetValue(Verbose));

    public static Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken, bool verbose = false) =>
        CommandRunner.RunAsync(
            async token =>
            {
                try
                {
                    return await body(token);
                }
                catch (GpuUnavailableException ex)
                {
                    throw new UserErrorException(Unavailable(ex.Message, verbose), ex);
                }
                catch (CudaOutOfMemoryException ex)
                {
                    throw new UserErrorException($"The GPU ran out of memory ({ex.Call}); free it from other processes (see nvidia-smi) or use smaller sizes.", ex);
                }
            },
            cancellationToken);
}
