using System.CommandLine;

namespace LlmBench.Cli;

/// <summary>
/// --gpus of `run`, `throughput` and `sweep` (one declaration, one help text): "all", or comma-separated CUDA ordinals,
/// each once and each present; one engine per GPU, all measured at once on the same workload.
/// </summary>
internal static class GpuList
{
    /// <summary>A fresh --gpus option for a command (System.CommandLine options belong to one command each).</summary>
    public static Option<string?> CreateOption() =>
        new("--gpus")
        {
            Description = "all, or GPU ordinals like 0,1: one engine per GPU, all at once on the same workload (sweep: every point on every GPU at once, " +
                "each point starting together); per-GPU and total figures, and whether the GPUs agree within ±5 % (sweep: at each point, and a line over the whole sweep).",
        };

    /// <summary>--gpus runs llmbench's own engine once per GPU: refused in one sentence with another framework's backend.</summary>
    public static void RefuseWith(string? text, string backend)
    {
        if (text is not null && backend is not ("llmbench" or "llmbench-eager"))
            throw new UserErrorException($"--gpus runs llmbench's engine once per GPU; leave it out with --backend {backend}.");
    }

    /// <summary>The ordinals --gpus names; null when it is not given. Refused in one sentence where no GPU engine can run.</summary>
    public static int[]? Resolve(string? text)
    {
        if (text is null)
            return null;
        if (!CudaBackend.IsAvailable(0, out var reason))
            throw new UserErrorException($"--gpus needs NVIDIA GPUs and the CUDA engine, and this machine has none usable ({GpuCommandRunner.WithoutPathsTried(reason)}; `llmbench gpu --verbose` lists the paths tried); leave --gpus out to run on the CPU.");
        return Parse(text, LlmBench.Gpu.Cuda.DeviceCount);
    }

    public static int[] Parse(string text, int deviceCount)
    {
        if (string.Equals(text.Trim(), "all", StringComparison.OrdinalIgnoreCase))
            return Enumerable.Range(0, deviceCount).ToArray();
        var ordinals = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var i) && i >= 0 && i < deviceCount
                ? i
                : throw new UserErrorException($"--gpus: '{s}' is not a GPU of this machine (it has {deviceCount}: 0 to {deviceCount - 1})."))
            .ToArray();
        if (ordinals.Length == 0)
            throw new UserErrorException("--gpus needs 'all' or at least one GPU ordinal, like 0,1.");
        if (ordinals.Distinct().Count() != ordinals.Length)
            throw new UserErrorException($"--gpus lists a GPU twice: '{text}'.");
        return ordinals;
    }
}
