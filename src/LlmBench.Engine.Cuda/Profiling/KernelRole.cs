namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>What a call of the forward pass does, in the order a step runs them.</summary>
public enum KernelRole
{
    Embedding,
    InputNorm,
    Qkv,
    QkNormRope,
    DecodeAttention,
    PrefillAttention,
    OutProj,
    PostAttentionNorm,
    GateUp,
    SiluMul,
    Down,
    FinalNorm,
    LmHead,
    Logprobs,
    MaskTokens,
    Sampling,
}

public static class KernelRoles
{
    /// <summary>snake_case, as result files name it.</summary>
    public static string Name(this KernelRole role) => role switch
    {
        KernelRole.Embedding => "embedding",
        KernelRole.InputNorm => "input_norm",
        KernelRole.Qkv => "qkv_proj",
        KernelRole.QkNormRope => "qk_norm_rope",
        KernelRole.DecodeAttention => "decode_attention",
        KernelRole.PrefillAttention => "prefill_attention",
        KernelRole.OutProj => "o_proj",
        KernelRole.PostAttentionNorm => "post_attention_norm",
        KernelRole.GateUp => "gate_up_proj",
        KernelRole.SiluMul => "silu_mul",
        KernelRole.Down => "down_proj",
        KernelRole.FinalNorm => "final_norm",
        KernelRole.LmHead => "lm_head",
        KernelRole.Logprobs => "logprobs",
        KernelRole.MaskTokens => "mask_tokens",
        KernelRole.Sampling => "sampling",
        _ => role.ToString(),
    };

    /// <summary>Which .cu family (or library) runs the role.</summary>
    public static string Family(this KernelRole role, bool ourKernel) => role switch
    {
        KernelRole.Embedding => "embedding.cu",
        KernelRole.InputNorm or KernelRole.PostAttentionNorm or KernelRole.FinalNorm => "rmsnorm.cu",
        KernelRole.Qkv or KernelRole.OutProj or KernelRole.GateUp or KernelRole.Down or KernelRole.LmHead =>
            ourKernel ? "gemv.cu" : "cuBLASLt",
        KernelRole.QkNormRope => "qk_norm_rope.cu",
        KernelRole.DecodeAttention => "decode_attention.cu",
        KernelRole.PrefillAttention => "prefill_attention.cu",
        KernelRole.SiluMul => "silu_mul.cu",
        KernelRole.Logprobs => "logprobs.cu",
        KernelRole.MaskTokens => "util.cu",
        KernelRole.Sampling => "sampling.cu",
        _ => "?",
    };
}
