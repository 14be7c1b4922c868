namespace LlmBench.Reports.Offline;

/// <summary>
/// The memory-bandwidth floor of docs/WORKLOADS.md for one workload: the fastest the decode could run if every step
/// only streamed the weights and the KV cache at <see cref="BandwidthBytesPerSecond"/>.
/// </summary>
/// <param name="BandwidthSource">Which bandwidth: "measured by llmbench peak", "theoretical (…)", with the reason.</param>
public sealed record FloorEstimate(
    double BandwidthBytesPerSecond,
    string BandwidthSource,
    double BytesMoved,
    double FloorSeconds,
    double FloorOutputTokensPerSecond,
    double FractionOfFloor);
