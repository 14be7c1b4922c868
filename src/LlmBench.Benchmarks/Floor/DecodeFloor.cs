using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Engine.Models;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Floor;

/// <summary>
/// The memory-bandwidth floor of docs/WORKLOADS.md: a decode step must read every weight (the LM head included) and
/// each running sequence's KV cache, so step time ≥ (weight bytes + Σ context × KV bytes per token) / bandwidth.
/// For an offline workload every sequence is taken to decode together from the first step, one token per step,
/// its context growing from the prompt length; prefill (compute-bound) is left out.
/// </summary>
public sealed record DecodeFloor(double WeightBytes, double KvBytesPerToken)
{
    /// <summary>bf16, as the GPU engine keeps weights (and the KV cache unless --kv-cache-dtype fp8).</summary>
    public const int BytesPerElement = 2;

    /// <param name="kvBytesPerElement">2 for a bf16 KV cache, 1 for fp8: an fp8 cache halves the bytes a step must read.</param>
    /// <param name="fp8LayerWeights">--quantization fp8: the layers' linear weights are one byte each plus a 4-byte scale
    /// per output row (embeddings, norms and the LM head stay bf16).</param>
    public static DecodeFloor For(ModelConfig model, int kvBytesPerElement = BytesPerElement, bool fp8LayerWeights = false)
    {
        double weightBytes = WeightParameters(model) * (double)BytesPerElement;
        if (fp8LayerWeights)
            weightBytes -= model.NumHiddenLayers * (LinearParameters(model) - 4.0 * LinearRows(model));
        return new(weightBytes, model.KvBytesPerToken(kvBytesPerElement));
    }

    /// <summary>The parameters of one layer's q/k/v, o, gate/up and down projections.</summary>
    public static long LinearParameters(ModelConfig m) =>
        ((long)m.HiddenSize * (m.QSize + 2L * m.KvSize)) + ((long)m.QSize * m.HiddenSize) + (3L * m.HiddenSize * m.IntermediateSize);

    private static long LinearRows(ModelConfig m) => m.QSize + (2L * m.KvSize) + (2L * m.HiddenSize) + (2L * m.IntermediateSize);

    /// <summary>Every parameter the forward pass reads once per step; tied embeddings count once.</summary>
    public static long WeightParameters(ModelConfig m)
    {
        long h = m.HiddenSize;
        long attention = (h * m.QSize) + (2 * h * m.KvSize) + ((long)m.QSize * h);
        if (m.AttentionBias)
            attention += m.QSize + (2L * m.KvSize);
        if (m.OutputProjectionBias)
            attention += h;
        if (m.QkNorm)
            attention += 2L * m.HeadDim;
        long mlp = 3 * h * m.IntermediateSize;
        long layer = attention + mlp + (2 * h);
        long embeddings = (long)m.VocabSize * h * (m.TieWordEmbeddings ? 1 : 2);
        return (layer * m.NumHiddenLayers) + embeddings + h;
    }

    /// <summary>Bytes the decode of <paramref name="requests"/> must move at least.</summary>
    public double OfflineBytes(IReadOnlyList<WorkloadRequest> requests)
    {
        int steps = requests.Count == 0 ? 0 : requests.Max(r => r.OutputTokens);
        double contextTokens = 0;
        foreach (var r in requests)
        {
            // Σ_{s=0}^{o-1} (p + s) = o·p + o(o−1)/2
            double o = r.OutputTokens;
            contextTokens += (o * r.PromptIds.Length) + (o * (o - 1) / 2);
        }

        return (steps * WeightBytes) + (contextTokens * KvBytesPerToken);
    }

    public FloorEstimate Estimate(IReadOnlyList<WorkloadRequest> requests, long outputTokensMeasured, double elapsedSeconds, double bandwidthBytesPerSecond, string bandwidthSource)
    {
        double bytes = OfflineBytes(requests);
        double floorSeconds = bytes / bandwidthBytesPerSecond;
        double floorRate = floorSeconds > 0 ? requests.Sum(r => (double)r.OutputTokens) / floorSeconds : 0;
        double measuredRate = elapsedSeconds > 0 ? outputTokensMeasured / elapsedSeconds : 0;
        return new FloorEstimate(bandwidthBytesPerSecond, bandwidthSource, bytes, floorSeconds, floorRate, floorRate > 0 ? measuredRate / floorRate : 0);
    }

    /// <summary>
    /// The floor of a closed loop that keeps <paramref name="concurrency"/> sequences decoding: each step makes one token
    /// per sequence and must read the weights plus every running sequence's context. A request of prompt p and
    /// output o spends o steps running with contexts p … p+o−1, so the mean context a step reads per sequence is
    /// Σ o·(p + (o−1)/2) / Σ o over the requests that finished in the window. Null when none finished.
    /// </summary>
    public FloorEstimate? ClosedLoop(IReadOnlyList<RequestOutcome> completed, int concurrency, long outputTokensMeasured, double elapsedSeconds,
        double bandwidthBytesPerSecond, string bandwidthSource)
    {
        double outputs = 0, contextSteps = 0;
        foreach (var r in completed)
        {
            double o = r.OutputTokens;
            outputs += o;
            contextSteps += (o * r.PromptTokens) + (o * (o - 1) / 2);
        }

        if (outputs <= 0 || concurrency <= 0 || outputTokensMeasured <= 0 || elapsedSeconds <= 0)
            return null;
        double stepBytes = WeightBytes + (concurrency * (contextSteps / outputs) * KvBytesPerToken);
        double bytes = outputTokensMeasured / (double)concurrency * stepBytes;
        double floorSeconds = bytes / bandwidthBytesPerSecond;
        double floorRate = outputTokensMeasured / floorSeconds;
        return new FloorEstimate(bandwidthBytesPerSecond, bandwidthSource, bytes, floorSeconds, floorRate, outputTokensMeasured / elapsedSeconds / floorRate);
    }
}
