namespace LlmBench.Gpu.Compilation;

/// <summary>
/// What NVRTC compiles for: machine code for the exact GPU (sm_XY, or sm_90a on Hopper so that wgmma and setmaxnreg
/// are available), or, when this NVRTC is older than the GPU, PTX for the newest architecture it knows, which the
/// driver then compiles at load time.
/// </summary>
public sealed record CompileTarget(string Architecture, bool IsCubin)
{
    public string Option => $"--gpu-architecture={Architecture}";

    /// <param name="device">The GPU's compute capability.</param>
    /// <param name="nvrtcArchitectures">What nvrtcGetSupportedArchs lists, as 10 × major + minor (75, 80, 86, 89, 90, ...).</param>
    /// <param name="nvrtcVersion">For the message when nothing fits.</param>
    public static CompileTarget For(ComputeCapability device, IReadOnlyCollection<int> nvrtcArchitectures, string nvrtcVersion)
    {
        var exact = device.Major * 10 + device.Minor;
        if (nvrtcArchitectures.Contains(exact))
            return new CompileTarget(device.Major == 9 ? $"sm_{exact}a" : $"sm_{exact}", IsCubin: true);
        var older = nvrtcArchitectures.Where(a => a <= exact).DefaultIfEmpty(-1).Max();
        if (older > 0)
            return new CompileTarget($"compute_{older}", IsCubin: false);
        var range = nvrtcArchitectures.Count > 0 ? $"{nvrtcArchitectures.Min()} to {nvrtcArchitectures.Max()}" : "none";
        throw new GpuUnavailableException(
            $"NVRTC {nvrtcVersion} cannot compile for compute capability {device} (it supports sm_{range}); " +
            "install CUDA 12 libraries, the last to support Volta, e.g. `pip install nvidia-cuda-nvrtc-cu12`.");
    }
}
