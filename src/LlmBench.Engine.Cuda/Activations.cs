using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The forward pass's scratch, sized once for the largest step (<c>maxTokens</c> rows, <c>maxRows</c> sampled rows):
/// fixed addresses, so decode graphs captured against them stay valid.
/// </summary>
internal sealed class Activations : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <param name="fp8Weights">Also allocate <see cref="WeightScratch"/> and <see cref="Fp8Activations"/> (fp8 layer weights).</param>
    public Activations(GpuDevice device, ModelConfig model, int maxTokens, int maxRows, long partialSlots, bool fp8Weights = false)
    {
        DeviceBuffer<T> Allocate<T>(long length)
            where T : unmanaged
        {
            var buffer = device.Allocate<T>(length);
            _owned.Add(buffer);
            return buffer;
        }
        int h = model.HiddenSize;
        Residual = Allocate<BFloat16>((long)maxTokens * h);
        ResidualAlternate = Allocate<BFloat16>((long)Math.Min(maxTokens, GemvKernels.MaxTokens) * h);
        LayerOutput = Allocate<BFloat16>((long)maxTokens * h);
        Normed = Allocate<BFloat16>((long)maxTokens * h);
        Qkv = Allocate<BFloat16>((long)maxTokens * (model.QSize + 2 * model.KvSize));
        AttentionOutput = Allocate<BFloat16>((long)maxTokens * model.QSize);
        GateUp = Allocate<BFloat16>(2L * maxTokens * model.IntermediateSize);
        Activated = Allocate<BFloat16>((long)maxTokens * model.IntermediateSize);
        FinalNormed = Allocate<BFloat16>((long)maxRows * h);
        Logits = Allocate<BFloat16>((long)maxRows * model.VocabSize);
        LogprobScratch = Allocate<int>(LogprobKernel.ScratchLength(maxRows));
        // grid_counter.cuh's counters start at zero; each launch leaves them there.
        DeviceBuffer<uint> Counters(long length)
        {
            var counters = Allocate<uint>(length);
            counters.CopyFrom(new uint[length]);
            return counters;
        }
        GemvCounter = Counters(1);
        AttentionMergeCounters = Counters((long)maxRows * model.NumKeyValueHeads);
        SamplePartialScores = Allocate<float>(SamplingKernel.PartialLength(maxRows));
        SamplePartialIndices = Allocate<int>(SamplingKernel.PartialLength(maxRows));
        SampleCounters = Counters(maxRows);
        PartialAccumulators = Allocate<float>(partialSlots * model.HeadDim);
        PartialStatistics = Allocate<float>(partialSlots * 2);
        WeightScratch = fp8Weights ? Allocate<BFloat16>(LargestLinearWeight(model)) : null;
        if (fp8Weights)
            Fp8Activations = new Fp8Matrix(Allocate<byte>((long)maxTokens * WidestLinearInput(model)), Allocate<float>(maxTokens));
    }

    /// <summary>In features of the widest decoder-layer linear layer (what one token's fp8 activations take).</summary>
    public static int WidestLinearInput(ModelConfig model) => Math.Max(model.HiddenSize, Math.Max(model.QSize, model.IntermediateSize));

    /// <summary>Elements of the largest decoder-layer linear weight (gate/up for the models we run).</summary>
    public static long LargestLinearWeight(ModelConfig model)
    {
        long h = model.HiddenSize;
        return new[] { (model.QSize + 2L * model.KvSize) * h, (long)model.QSize * h, 2L * model.IntermediateSize * h, h * model.IntermediateSize }.Max();
    }

    /// <summary>bf16 bytes <see cref="Activations"/> allocates for these sizes (for memory planning).</summary>
    public static long SizeBytes(ModelConfig model, int maxTokens, int maxRows, long partialSlots, bool fp8Weights = false)
    {
        long scratch = fp8Weights ? 2 * LargestLinearWeight(model) + (long)maxTokens * (WidestLinearInput(model) + 4) : 0;
        long alternate = 2L * Math.Min(maxTokens, GemvKernels.MaxTokens) * model.HiddenSize;
        long perToken = 3L * model.HiddenSize + model.QSize + 2 * model.KvSize + model.QSize + 3L * model.IntermediateSize;
        return scratch + alternate + 2 * (maxTokens * perToken + (long)maxRows * (model.HiddenSize + model.VocabSize)) + 4 * partialSlots * (model.HeadDim + 2)
            + 4 * LogprobKernel.ScratchLength(maxRows) + sizeof(uint) * (1 + (long)maxRows * model.NumKeyValueHeads)
            + 8 * SamplingKernel.PartialLength(maxRows) + 4L * maxRows;
    }

    public DeviceBuffer<BFloat16> Residual { get; }

    /// <summary>
    /// The residual stream's second buffer on the fused-norm GEMV path (at most <see cref="GemvKernels.MaxTokens"/>
    /// rows): the qkv GEMV reads <see cref="Residual"/> and writes the updated stream here, the gate/up GEMV reads it
    /// back and writes <see cref="Residual"/>, since every CTA of a launch reads the stream it updates.
    /// </summary>
    public DeviceBuffer<BFloat16> ResidualAlternate { get; }
    /// <summary>The o_proj or down_proj output that the next norm adds into the residual.</summary>
    public DeviceBuffer<BFloat16> LayerOutput { get; }
    public DeviceBuffer<BFloat16> Normed { get; }
    public DeviceBuffer<BFloat16> Qkv { get; }
    public DeviceBuffer<BFloat16> AttentionOutput { get; }
    public DeviceBuffer<BFloat16> GateUp { get; }
    public DeviceBuffer<BFloat16> Activated { get; }
    public DeviceBuffer<BFloat16> FinalNormed { get; }
    /// <summary>bf16 [rows, vocab], as HF's bf16 LM head produces them.</summary>
    public DeviceBuffer<BFloat16> Logits { get; }

    /// <summary>The chunks' partial results between logprobs.cu's two kernels (<see cref="LogprobKernel.ScratchLength"/>).</summary>
    public DeviceBuffer<int> LogprobScratch { get; }

    /// <summary>The finished-CTA counter of the GEMVs that end with a norm (<see cref="GemvThenNorm"/>): zero between launches.</summary>
    public DeviceBuffer<uint> GemvCounter { get; }

    /// <summary>Split decode attention's finished-partition counters, one per (sequence, kv head), zero between launches.</summary>
    public DeviceBuffer<uint> AttentionMergeCounters { get; }

    /// <summary>Split sampling's per-chunk best scores and indices, [rows, <see cref="SamplingKernel.MaxChunks"/>].</summary>
    public DeviceBuffer<float> SamplePartialScores { get; }
    public DeviceBuffer<int> SamplePartialIndices { get; }

    /// <summary>Split sampling's finished-chunk counters, one per row, zero between launches.</summary>
    public DeviceBuffer<uint> SampleCounters { get; }
    public DeviceBuffer<float> PartialAccumulators { get; }

    /// <summary>
    /// With fp8 layer weights: the bf16 copy of one weight that a cuBLASLt GEMM (a step above the GEMV sizes) reads,
    /// rewritten before each such GEMM. Null with bf16 weights.
    /// </summary>
    public DeviceBuffer<BFloat16>? WeightScratch { get; }

    /// <summary>
    /// With fp8 layer weights: a step's activations in e4m3 with one scale per token, the input of the fp8 cuBLASLt GEMM
    /// (rewritten before each such GEMM). Null with bf16 weights.
    /// </summary>
    public Fp8Matrix? Fp8Activations { get; }
    public DeviceBuffer<float> PartialStatistics { get; }

    public void Dispose()
    {
        foreach (var buffer in _owned)
            buffer.Dispose();
    }
}
