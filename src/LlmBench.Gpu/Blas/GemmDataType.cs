using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu.Blas;

/// <summary>Input precisions we multiply in. Accumulation is always fp32.</summary>
public enum GemmDataType
{
    Bf16,
    Fp16,

    /// <summary>fp8 e4m3 inputs with per-tensor fp32 scales, bf16 output (Ada and Hopper).</summary>
    Fp8E4M3,
}

public static class GemmDataTypeExtensions
{
    public static string DisplayName(this GemmDataType type) => type switch
    {
        GemmDataType.Bf16 => "bf16",
        GemmDataType.Fp16 => "fp16",
        GemmDataType.Fp8E4M3 => "fp8-e4m3",
        _ => type.ToString(),
    };

    public static GemmDataType Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "bf16" => GemmDataType.Bf16,
        "fp16" or "f16" => GemmDataType.Fp16,
        "fp8" or "fp8-e4m3" or "e4m3" => GemmDataType.Fp8E4M3,
        _ => throw new ArgumentException($"Unknown data type '{text}'; use bf16, fp16 or fp8."),
    };

    public static int InputBytes(this GemmDataType type) => type == GemmDataType.Fp8E4M3 ? 1 : 2;

    public static int OutputBytes(this GemmDataType type) => 2;

    public static bool IsSupportedOn(this GemmDataType type, ComputeCapability capability) => type switch
    {
        GemmDataType.Fp16 => true,
        GemmDataType.Bf16 => capability.SupportsBf16,
        GemmDataType.Fp8E4M3 => capability.SupportsFp8,
        _ => false,
    };

    internal static CudaDataType InputType(this GemmDataType type) => type switch
    {
        GemmDataType.Bf16 => CudaDataType.CUDA_R_16BF,
        GemmDataType.Fp16 => CudaDataType.CUDA_R_16F,
        _ => CudaDataType.CUDA_R_8F_E4M3,
    };

    internal static CudaDataType OutputType(this GemmDataType type) =>
        type == GemmDataType.Fp16 ? CudaDataType.CUDA_R_16F : CudaDataType.CUDA_R_16BF;
}
