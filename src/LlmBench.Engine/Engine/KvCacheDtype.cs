namespace LlmBench.Engine;

/// <summary>--kv-cache-dtype: what the KV cache stores. Auto is the model's activation type (bf16 on the GPU).</summary>
public enum KvCacheDtype
{
    Auto,
    Bf16,

    /// <summary>fp8 e4m3 with one fp32 scale per layer and tensor (K, V): half the bytes of bf16, twice the tokens.</summary>
    Fp8,
}

public static class KvCacheDtypes
{
    /// <summary>The flag's value; a misspelling is a <see cref="UserErrorException"/> naming the choices.</summary>
    public static KvCacheDtype Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => KvCacheDtype.Auto,
        "bf16" or "bfloat16" => KvCacheDtype.Bf16,
        "fp8" or "fp8_e4m3" or "fp8-e4m3" => KvCacheDtype.Fp8,
        _ => throw new UserErrorException($"--kv-cache-dtype must be auto, bf16 or fp8 (e4m3), got \"{text}\"."),
    };

    /// <summary>The name results and logs use: "bf16" or "fp8_e4m3" (auto resolves to bf16).</summary>
    public static string DisplayName(this KvCacheDtype dtype) => dtype == KvCacheDtype.Fp8 ? "fp8_e4m3" : "bf16";

    public static bool IsFp8(this KvCacheDtype dtype) => dtype == KvCacheDtype.Fp8;
}
