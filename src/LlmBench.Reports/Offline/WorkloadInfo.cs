namespace LlmBench.Reports.Offline;

/// <summary>What was fed to the engine, and what had to be adapted to the model (ids folded, lengths clipped).</summary>
/// <param name="Name">nano, random, or standard.</param>
/// <param name="FoldedTokenIdRequests">Requests whose ids were taken modulo a vocabulary smaller than the workload's id range.</param>
/// <param name="ClippedRequests">Requests shortened to fit the engine's model length.</param>
public sealed record WorkloadInfo(
    string Name,
    string Description,
    float Temperature,
    int FoldedTokenIdRequests,
    int ClippedRequests);
