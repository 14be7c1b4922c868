namespace LlmBench.Engine.Cpu;

/// <summary>How the CPU backend holds 16-bit checkpoints (fp32 checkpoints are always fp32).</summary>
public enum CpuWeightFormat
{
    /// <summary>Keep bf16/f16 as stored and widen each row as a step uses it: half the memory and bytes per step.</summary>
    Packed16,

    /// <summary>Widen everything to fp32 once at load.</summary>
    Float32,
}
