namespace LlmBench.Engine.Cpu;

/// <summary>How the CPU backend holds bf16 checkpoints (fp32 and f16 checkpoints are held as fp32).</summary>
public enum CpuWeightFormat
{
    /// <summary>Keep bf16 as stored and widen in registers as a step uses it: half the memory and bytes per step.</summary>
    Bf16,

    /// <summary>Widen everything to fp32 once at load.</summary>
    Float32,
}
