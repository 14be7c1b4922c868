namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>A profiled pass summed by role over the layers: where the step's time goes.</summary>
/// <param name="Calls">Calls per step (a GEMM, or a split-and-combine attention pair, is one call).</param>
/// <param name="Share">Of the pass's summed call time.</param>
/// <param name="AchievedBytesPerSecond">The bytes the role must move over its time.</param>
public sealed record RoleSummary(KernelRole Role, string Family, int Calls, double Milliseconds, double Share, double Bytes, double AchievedBytesPerSecond)
{
    /// <summary>Rows in the order a step runs the roles, roles that did not run left out.</summary>
    public static IReadOnlyList<RoleSummary> Of(StepProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        double total = profile.KernelMilliseconds;
        return profile.Calls
            .GroupBy(c => c.Role)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                double ms = g.Sum(c => c.Milliseconds), bytes = g.Sum(c => c.Bytes);
                string family = string.Join("+", g.Select(c => c.Family).Distinct());
                return new RoleSummary(g.Key, family, g.Count(), ms, total > 0 ? ms / total : 0, bytes, ms > 0 ? bytes / (ms / 1e3) : 0);
            })
            .ToArray();
    }
}
