namespace LlmBench.Kernels.Tests.Reference;

/// <summary>silu_mul.cu: act = bf16(bf16(silu(gate)) · up) with gate_up [T, 2·inter] = [gate | up].</summary>
public static class SiluMulReference
{
    public static double Silu(double g) => g / (1.0 + Math.Exp(-g));

    public static float[] Apply(ReadOnlySpan<float> gateUp, int inter)
    {
        var tokens = gateUp.Length / (2 * inter);
        var act = new float[tokens * inter];
        for (var t = 0; t < tokens; t++)
        {
            for (var i = 0; i < inter; i++)
            {
                var gate = gateUp[t * 2 * inter + i];
                var up = gateUp[t * 2 * inter + inter + i];
                act[t * inter + i] = Bf16.Round(Bf16.Round(Silu(gate)) * (double)up);
            }
        }
        return act;
    }
}
