namespace LlmBench.Kernels;

/// <summary>Small helpers the launchers share.</summary>
internal static class Launch
{
    public static uint CeilDiv(long value, int divisor) => checked((uint)((value + divisor - 1) / divisor));

    /// <summary>A null pointer for kernel arguments the kernel treats as absent.</summary>
    public const ulong Null = 0;

    public static void RequireAtLeast(string what, long actual, long needed)
    {
        if (actual < needed)
            throw new ArgumentException($"{what} holds {actual} elements; the launch needs {needed}.", what);
    }
}
