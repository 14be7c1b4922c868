namespace LlmBench.Cli;

/// <summary>
/// The --device of each engine of `serve --data-parallel-size N`: on GPUs engine i takes cuda:i, on the CPU every engine
/// takes the --device given (cpu, or auto that found no GPU and says why).
/// </summary>
internal static class DataParallelDevices
{
    /// <param name="device">The --device value.</param>
    /// <param name="onGpu">Whether --device (or auto) puts engines on GPUs.</param>
    /// <param name="gpuCount">The usable GPUs, asked only when N GPUs are needed.</param>
    public static string[] For(int size, string device, bool onGpu, Func<int> gpuCount)
    {
        if (size < 1)
            throw new UserErrorException($"--data-parallel-size must be at least 1, got {size}.");
        if (size == 1)
            return [device];
        if (!onGpu)
            return Enumerable.Repeat(device, size).ToArray();
        if (device.Contains(':', StringComparison.Ordinal))
            throw new UserErrorException($"--data-parallel-size {size} puts engine i on cuda:i, so it takes --device cuda or auto, not {device}.");
        var count = gpuCount();
        if (size > count)
        {
            throw new UserErrorException(count == 0
                ? $"--data-parallel-size {size} needs {size} GPUs (engine i on cuda:i), and this machine has none usable; use --device cpu."
                : $"--data-parallel-size {size} needs {size} GPUs (engine i on cuda:i), and this machine has {count}; use at most {count}, or --device cpu.");
        }
        return Enumerable.Range(0, size).Select(i => $"cuda:{i}").ToArray();
    }

    /// <summary>The usable GPUs of this machine: 0 without the driver and the CUDA engine.</summary>
    public static int UsableGpus() => CudaBackend.IsAvailable(0, out _) ? LlmBench.Gpu.Cuda.DeviceCount : 0;
}
