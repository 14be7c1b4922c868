using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry;

/// <summary>One reading of one GPU at one moment; <see cref="ElapsedSeconds"/> counts from the sampler's start.</summary>
public sealed record GpuSample(int GpuIndex, DateTimeOffset Timestamp, double ElapsedSeconds, NvmlReading Reading);

/// <summary>Where samples come from: NVML on a real machine, anything that yields readings in tests.</summary>
public interface IGpuSampleSource
{
    /// <summary>The GPUs this source reads, by NVML index, with their names.</summary>
    IReadOnlyList<(int Index, string Name)> Gpus { get; }

    /// <summary>Reads every GPU once, in the order of <see cref="Gpus"/>.</summary>
    IReadOnlyList<NvmlReading> ReadAll();
}

/// <summary>NVML readings of the selected GPUs (all of them by default).</summary>
public sealed class NvmlSampleSource : IGpuSampleSource, IDisposable
{
    private readonly NvmlSession _session;
    private readonly IReadOnlyList<NvmlGpu> _gpus;

    public NvmlSampleSource(IReadOnlyCollection<int>? gpuIndices = null)
    {
        _session = NvmlSession.Open();
        var all = _session.GetDevices();
        if (gpuIndices is { Count: > 0 })
        {
            var missing = gpuIndices.Where(i => i < 0 || i >= all.Count).ToArray();
            if (missing.Length > 0)
            {
                _session.Dispose();
                throw new ArgumentException($"There is no GPU {string.Join(", ", missing)}: NVML lists {all.Count} (0 to {all.Count - 1}).");
            }

            all = all.Where(g => gpuIndices.Contains(g.Index)).ToArray();
        }

        _gpus = all;
        Gpus = _gpus.Select(g => (g.Index, g.Name)).ToArray();
    }

    public IReadOnlyList<(int Index, string Name)> Gpus { get; }

    public IReadOnlyList<NvmlReading> ReadAll() => _gpus.Select(g => g.Read()).ToArray();

    /// <summary>NVML's UUID ("GPU-…") of GPU <paramref name="index"/>, one of <see cref="Gpus"/>.</summary>
    public string UuidOf(int index) => _gpus.First(g => g.Index == index).Uuid;

    public void Dispose() => _session.Dispose();
}
