namespace LlmBench.Kernels.Tests.Support;

/// <summary>
/// How close a kernel's output must be to its reference. Element test: |got − ref| ≤ Relative·(|ref| + rms(ref)),
/// so values near zero (cancellation in rope, attention) are judged against the row's scale; norm test:
/// ‖got − ref‖ / ‖ref‖ ≤ NormRatio. NaN anywhere fails: poisoned outputs that a kernel never wrote stay NaN.
/// </summary>
public readonly record struct Tolerance(double Relative, double NormRatio)
{
    /// <summary>bf16 output: one bf16 ulp is 2^-8 ≈ 3.9e-3 relative; the kernels round a few times on the way.</summary>
    public static Tolerance Bf16Output { get; } = new(1e-2, 4e-3);

    /// <summary>fp32 output computed in fp32 from the same inputs.</summary>
    public static Tolerance Fp32Output { get; } = new(1e-4, 1e-5);
}
