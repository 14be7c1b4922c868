namespace LlmBench.Gpu;

/// <summary>
/// Where LlmBench keeps what it learns about a machine: compiled kernels and measured ceilings. Read from the
/// environment in this one place: $LLMBENCH_HOME (else $XDG_CACHE_HOME/llmbench, else ~/.cache/llmbench), and
/// $LLMBENCH_KERNEL_CACHE for the kernel cache alone.
/// </summary>
public sealed record GpuPaths(string DataDirectory, string KernelCacheDirectory)
{
    public string CeilingsDirectory => Path.Combine(DataDirectory, "ceilings");

    public static GpuPaths FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    public static GpuPaths FromEnvironment(Func<string, string?> variable)
    {
        var data = NonEmpty(variable("LLMBENCH_HOME"))
            ?? (NonEmpty(variable("XDG_CACHE_HOME")) is { } xdg ? Path.Combine(xdg, "llmbench") : null)
            ?? Path.Combine(NonEmpty(variable("HOME")) ?? Path.GetTempPath(), ".cache", "llmbench");
        var kernels = NonEmpty(variable("LLMBENCH_KERNEL_CACHE")) ?? Path.Combine(data, "kernels");
        return new GpuPaths(data, kernels);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
