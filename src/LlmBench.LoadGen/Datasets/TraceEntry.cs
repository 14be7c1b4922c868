namespace LlmBench.LoadGen.Datasets;

/// <summary>One request of a trace: when it arrived (seconds from the trace's first), its lengths, and the ids of the shared-prefix blocks its prompt starts with.</summary>
internal sealed record TraceEntry(double? TimestampSeconds, int InputLength, int OutputLength, IReadOnlyList<long> HashIds);
