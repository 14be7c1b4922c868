using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// Sizes the KV cache before anything is allocated: the share of the GPU that --gpu-memory-utilization grants,
/// less what other processes already hold, the weights, the activations and a reserve for cuBLASLt, graphs and
/// the context. A model or length that cannot fit is a <see cref="UserErrorException"/> here, before any work.
/// </summary>
internal sealed record GpuMemoryPlan(EngineOptions Options, long WeightBytes, long ActivationBytes, long KvCacheBytes, int MaxBatchSequences, int MaxStepTokens)
{
    /// <summary>cuBLASLt workspace, graph executables, module images and allocator slack.</summary>
    public const long ReserveBytes = 768L << 20;

    private const double GiB = 1 << 30;

    public static GpuMemoryPlan Create(GpuDevice device, ModelConfig model, EngineOptions options)
    {
        options.Validate();
        var (freeBytes, totalBytes) = device.GetMemoryInfo();
        long grantedBytes = (long)(options.GpuMemoryUtilization * totalBytes) - (totalBytes - freeBytes);
        int maxSequences = options.MaxNumSeqs;
        int maxTokens = Math.Max(options.MaxNumBatchedTokens, maxSequences);
        long weights = GpuModelWeights.SizeBytes(model, options.Quantization);
        long activations = Activations.SizeBytes(model, maxTokens, maxSequences, PartialSlots(model, maxSequences, device.Info.MultiprocessorCount, CudaExecutorSettings.Default.MaxDecodeSplits),
            options.Quantization == WeightQuantization.Fp8);
        long kvBudget = grantedBytes - weights - activations - ReserveBytes;
        if (kvBudget <= 0)
        {
            throw new UserErrorException(
                $"{device.Info.Name} cannot hold this model: weights {weights / GiB:F2} GiB and activations {activations / GiB:F2} GiB " +
                $"exceed what --gpu-memory-utilization {options.GpuMemoryUtilization} grants ({grantedBytes / GiB:F2} GiB of {totalBytes / GiB:F1} GiB, " +
                $"{freeBytes / GiB:F1} GiB free); raise --gpu-memory-utilization, lower --max-num-batched-tokens, or use a smaller model.");
        }
        if (options.KvCacheMemoryBytes is { } asked)
        {
            if (asked > kvBudget)
                throw new UserErrorException(
                    $"--kv-cache-memory-bytes {asked} exceeds the {kvBudget} bytes left on {device.Info.Name} after weights and activations.");
            kvBudget = asked;
        }
        long bytesPerBlock = GpuKvCache.BytesPerBlock(model, options.BlockSize, options.KvCacheDtype);
        int blocks = (int)Math.Min(int.MaxValue / 2, kvBudget / bytesPerBlock);
        var resolved = options.ResolveFor(model, blocks);
        return new GpuMemoryPlan(resolved, weights, activations, blocks * bytesPerBlock, maxSequences, maxTokens);
    }

    public int MaxBlocksPerSequence => (Options.MaxModelLen!.Value + Options.BlockSize - 1) / Options.BlockSize;

    /// <summary>Partial outputs (sequence × q head × split) the largest decode-attention scratch needs (more splits at small batches).</summary>
    public static long PartialSlots(ModelConfig model, int maxSequences, int multiprocessors, int maxSplits)
    {
        long most = 0;
        for (int s = 1; s <= maxSequences; s++)
            most = Math.Max(most, (long)s * Math.Min(maxSplits, DecodeAttentionKernels.ChooseSplits(s, model.NumKeyValueHeads, multiprocessors)));
        return most * model.NumAttentionHeads;
    }
}
