namespace LlmBench.Gpu.Peak;

/// <summary>
/// Published dense (no sparsity) tensor-core TFLOP/s with fp32 accumulation, and memory bandwidth, for GPUs people
/// benchmark on. Null where the GPU has no such unit (bf16 before Ampere, fp8 before Ada). Sources: NVIDIA's
/// datasheets and architecture whitepapers.
/// </summary>
public sealed record DatasheetEntry(
    string Model,
    double? Bf16Tflops,
    double? Fp16Tflops,
    double? Fp8Tflops,
    double MemoryBandwidthGBps,
    string? Note = null)
{
    public double? TflopsFor(Blas.GemmDataType type) => type switch
    {
        Blas.GemmDataType.Bf16 => Bf16Tflops,
        Blas.GemmDataType.Fp16 => Fp16Tflops,
        Blas.GemmDataType.Fp8E4M3 => Fp8Tflops,
        _ => null,
    };
}

public static class GpuDatasheet
{
    // Matched in order, first hit wins, so more specific entries (H100 PCIe, A100 80GB) come before general ones.
    // Each rule lists tokens that must all appear in the name as whole words ("A10" does not match "A100").
    private static readonly (string[] Tokens, DatasheetEntry Entry)[] Rules =
    [
        (["H100", "PCIE"], new("H100 PCIe", 756, 756, 1513, 2000)),
        (["H100", "NVL"], new("H100 NVL", 835, 835, 1671, 3900)),
        (["H100"], new("H100 SXM", 989, 989, 1979, 3350)),
        (["H200"], new("H200", 989, 989, 1979, 4800)),
        (["A100", "80GB", "PCIE"], new("A100 80GB PCIe", 312, 312, null, 1935)),
        (["A100", "80GB"], new("A100 80GB SXM", 312, 312, null, 2039)),
        (["A100"], new("A100 40GB", 312, 312, null, 1555)),
        (["L40S"], new("L40S", 362, 362, 733, 864)),
        (["L4"], new("L4", 121, 121, 242, 300)),
        (["A10G"], new("A10G", 70, 70, null, 600, "AWS publishes no tensor figure; 70 is the GA102 rate with fp32 accumulation")),
        (["A10"], new("A10", 125, 125, null, 600)),
        (["T4"], new("T4", null, 65, null, 320)),
        (["V100", "PCIE"], new("V100 PCIe", null, 112, null, 900)),
        (["V100S"], new("V100S PCIe", null, 130, null, 1134)),
        (["V100"], new("V100 SXM2", null, 125, null, 900)),
        (["RTX", "4090"], new("RTX 4090", 165, 165, 330, 1008)),
        (["RTX", "5090"], new("RTX 5090", 209, 209, 419, 1792)),
    ];

    public static IReadOnlyList<DatasheetEntry> Entries { get; } = Rules.Select(r => r.Entry).ToArray();

    /// <summary>The entry for a name as CUDA or NVML prints it ("NVIDIA H100 80GB HBM3"), or null for "unknown".</summary>
    public static DatasheetEntry? Find(string gpuName)
    {
        ArgumentNullException.ThrowIfNull(gpuName);
        var words = gpuName.ToUpperInvariant()
            .Split([' ', '-', '_', '(', ')', '/'], StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.Ordinal);
        return Rules.FirstOrDefault(r => r.Tokens.All(words.Contains)).Entry;
    }
}
