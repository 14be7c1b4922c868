using LlmBench.Gpu;

namespace LlmBench.Cli;

/// <summary>
/// Runs a GPU command body through <see cref="CommandRunner"/>, turning what the machine lacks (driver, GPU,
/// library, memory) into the one-line user error it prints, since LlmBench.Gpu cannot know the CLI's exception type.
/// </summary>
internal static class GpuCommandRunner
{
    public static Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(
            async token =>
            {
                try
                {
                    return await body(token);
                }
                catch (GpuUnavailableException ex)
                {
                    throw new UserErrorException(ex.Message, ex);
                }
                catch (CudaOutOfMemoryException ex)
                {
                    throw new UserErrorException($"The GPU ran out of memory ({ex.Call}); free it from other processes (see nvidia-smi) or use smaller sizes.", ex);
                }
            },
            cancellationToken);
}
