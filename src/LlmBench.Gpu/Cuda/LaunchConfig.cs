namespace LlmBench.Gpu;

/// <summary>Grid or block dimensions.</summary>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    public static implicit operator Dim3(uint x) => new(x);

    public static implicit operator Dim3(int x) => new(checked((uint)x));

    public ulong Count => (ulong)X * Y * Z;
}

/// <summary>How a kernel is launched: grid, block, and dynamic shared memory in bytes.</summary>
public readonly record struct LaunchConfig(Dim3 Grid, Dim3 Block, uint SharedMemoryBytes = 0)
{
    /// <summary>A 1-D launch covering <paramref name="items"/> with one thread each.</summary>
    public static LaunchConfig Linear(long items, uint threadsPerBlock = 256) =>
        new(checked((uint)((items + threadsPerBlock - 1) / threadsPerBlock)), threadsPerBlock);
}
