using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Models;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The decoder's forward pass as a sequence of kernel launches and GEMMs on one stream, reading the step's inputs
/// and writing logits (and, when asked, sampled ids) at fixed device addresses: the same code runs eagerly and
/// under graph capture.
/// </summary>
internal sealed class CudaForwardPass(
    ModelConfig model, ModelKernels kernels, GpuModelWeights weights, GpuKvCache cache, Activations work,
    StepInputs inputs, GemmPlans plans, TokenBuckets tokenBuckets, TokenBuckets rowBuckets, int multiprocessors, int maxSplits,
    bool programmaticLaunch, bool mergeAttentionInLastCta = false, bool splitSampling = false)
{
    private readonly float _eps = (float)model.RmsNormEps;
    private readonly float _scale = 1f / MathF.Sqrt(model.HeadDim);

    /// <summary>Partitions decode attention splits each context into, for <paramref name="decodes"/> sequences.</summary>
    public int SplitsFor(int decodes) => Math.Min(maxSplits, DecodeAttentionKernels.ChooseSplits(decodes, model.NumKeyValueHeads, multiprocessors));

    /// <summary>Enqueues the layers, the final norm of the sampled rows and the LM head; then, if <paramref name="sampled"/>
    /// is given, the shape's log-probability jobs (on the logits before any ban) and sampling into it.</summary>
    /// <param name="probe">Told after every call (the step profiler); programmatic launch is off while it listens, so
    /// each call's time stands alone.</param>
    /// <param name="recordKvMaxima">Also max the stored |k| and |v| of every layer into the cache's calibration maxima.</param>
    public void Enqueue(CudaStream stream, StepShape shape, SampleTargets sampled, ILaunchProbe? probe = null, bool recordKvMaxima = false)
    {
        var layers = plans.Layers(tokenBuckets.BucketFor(shape.Tokens));
        var lmHead = plans.LmHead(rowBuckets.BucketFor(shape.SampledRows));
        var io = inputs.Views(shape);
        kernels.Embedding.Gather(stream, io.Tokens, weights.Embedding, model.VocabSize, work.Residual, shape.Tokens);
        probe?.After(stream, KernelRole.Embedding, -1);
        // Where the pass runs only our kernels (each waits for its predecessor), each may launch while the one before
        // it finishes: the GEMVs load their weights during the previous kernel's tail. A cuBLASLt LM head (more than
        // LmHeadGemvMaxRows rows) and what follows it launch the ordinary way.
        bool ownLayers = programmaticLaunch && probe is null && layers.WaitForPredecessors;
        try
        {
            stream.ProgrammaticDependentLaunch = ownLayers;
            Layers(stream, shape, io, layers, probe, recordKvMaxima);
            kernels.RmsNorm.AddAndNormalizeRows(stream, work.Residual, work.LayerOutput, io.SampleRows, weights.FinalNorm, work.FinalNormed,
                shape.SampledRows, _eps);
            probe?.After(stream, KernelRole.FinalNorm, -1);
            stream.ProgrammaticDependentLaunch = ownLayers && lmHead.WaitsForPredecessor;
            LmHeadAndSampling(stream, shape, io, lmHead, sampled, probe);
        }
        finally
        {
            stream.ProgrammaticDependentLaunch = false;
        }
    }

    private void Layers(CudaStream stream, StepShape shape, StepViews io, LinearPlans layers, ILaunchProbe? probe, bool recordKvMaxima)
    {
        for (int i = 0; i < weights.Layers.Count; i++)
        {
            var layer = weights.Layers[i];
            InputNormAndQkv(stream, shape, layers, i, layer, probe);
            Attention(stream, shape, io, i, layer, probe, recordKvMaxima);
            OutProjAndGateUp(stream, shape, layers, i, layer, probe);
            Down(stream, layers, i, layer, probe);
        }
    }

    // With the norms folded into the GEMVs (LinearPlans.NormedQkv/NormedGateUp), the residual stream goes Residual →
    // ResidualAlternate (qkv, adding the previous layer's down output) → Residual (gate/up, adding o_proj's), so the
    // final norm reads Residual and the last down output as on the unfused path, where the norm kernels update
    // Residual in place.
    // With the norms after the GEMVs (LinearPlans.OutProjThenNorm/DownThenNorm), o_proj and the previous layer's
    // down_proj leave the residual updated in place and the next input normalized in Normed, as the norm kernels do.
    private void InputNormAndQkv(CudaStream stream, StepShape shape, LinearPlans layers, int i, GpuLayerWeights layer, ILaunchProbe? probe)
    {
        if (layers.DownThenNorm is not null && i > 0)
        {
            // The previous layer's down_proj did this layer's residual add and input norm.
            layers.Qkv.Run(stream, layer.Qkv, work.Normed, work.Qkv);
            probe?.After(stream, KernelRole.Qkv, i, layers.Qkv.WaitsForPredecessor);
            return;
        }

        if (layers.NormedQkv is { } normed)
        {
            normed.Run(stream, layer.Qkv, work.Residual, i == 0 ? default(DeviceSpan<BFloat16>) : work.LayerOutput, layer.InputNorm, work.ResidualAlternate, work.Qkv, _eps);
            probe?.After(stream, KernelRole.Qkv, i, true);
            return;
        }

        if (i == 0)
            kernels.RmsNorm.Normalize(stream, work.Residual, layer.InputNorm, work.Normed, shape.Tokens, _eps);
        else
            kernels.RmsNorm.AddAndNormalize(stream, work.Residual, work.LayerOutput, layer.InputNorm, work.Normed, shape.Tokens, _eps);
        probe?.After(stream, KernelRole.InputNorm, i);
        layers.Qkv.Run(stream, layer.Qkv, work.Normed, work.Qkv);
        probe?.After(stream, KernelRole.Qkv, i, layers.Qkv.WaitsForPredecessor);
    }

    /// <summary>o_proj, the post-attention norm and gate/up, ending with silu(gate) · up in Activated.</summary>
    private void OutProjAndGateUp(CudaStream stream, StepShape shape, LinearPlans layers, int i, GpuLayerWeights layer, ILaunchProbe? probe)
    {
        if (layers.OutProjThenNorm is { } thenNorm)
        {
            thenNorm.Run(stream, layer.OutProj, work.AttentionOutput, work.LayerOutput, work.Residual, layer.PostAttentionNorm, work.Normed, work.GemvCounter, _eps);
            probe?.After(stream, KernelRole.OutProj, i, true);
        }
        else
        {
            layers.OutProj.Run(stream, layer.OutProj, work.AttentionOutput, work.LayerOutput);
            probe?.After(stream, KernelRole.OutProj, i, layers.OutProj.WaitsForPredecessor);
            if (layers.NormedGateUp is { } normed)
            {
                normed.Run(stream, layer.GateUp, work.ResidualAlternate, work.LayerOutput, layer.PostAttentionNorm, work.Residual, work.Activated, _eps);
                probe?.After(stream, KernelRole.GateUp, i, true);
                return;
            }
            kernels.RmsNorm.AddAndNormalize(stream, work.Residual, work.LayerOutput, layer.PostAttentionNorm, work.Normed, shape.Tokens, _eps);
            probe?.After(stream, KernelRole.PostAttentionNorm, i);
        }
        if (layers.GateUpAppliesSwiGlu)
        {
            layers.GateUp.Run(stream, layer.GateUp, work.Normed, work.Activated);
            probe?.After(stream, KernelRole.GateUp, i, layers.GateUp.WaitsForPredecessor);
            return;
        }

        layers.GateUp.Run(stream, layer.GateUp, work.Normed, work.GateUp);
        probe?.After(stream, KernelRole.GateUp, i, layers.GateUp.WaitsForPredecessor);
        kernels.SiluMul.Run(stream, work.GateUp, work.Activated, shape.Tokens);
        probe?.After(stream, KernelRole.SiluMul, i);
    }

    /// <summary>down_proj; on the norm-after path (every layer but the last) also the next layer's residual add and input norm.</summary>
    private void Down(CudaStream stream, LinearPlans layers, int i, GpuLayerWeights layer, ILaunchProbe? probe)
    {
        if (layers.DownThenNorm is { } thenNorm && i + 1 < weights.Layers.Count)
        {
            thenNorm.Run(stream, layer.Down, work.Activated, work.LayerOutput, work.Residual, weights.Layers[i + 1].InputNorm, work.Normed, work.GemvCounter, _eps);
            probe?.After(stream, KernelRole.Down, i, true);
            return;
        }
        layers.Down.Run(stream, layer.Down, work.Activated, work.LayerOutput);
        probe?.After(stream, KernelRole.Down, i, layers.Down.WaitsForPredecessor);
    }

    /// <summary>
    /// The log probabilities of the shape's jobs into <paramref name="records"/>, from the logits as the LM head wrote
    /// them: called inside <see cref="Enqueue"/> before bans, or after a replayed decode graph (which has no bans and
    /// whose sampler leaves the logits as they were).
    /// </summary>
    public void MeasureLogprobs(CudaStream stream, StepShape shape, DeviceSpan<int> records, ILaunchProbe? probe = null)
    {
        if (shape.LogprobJobs == 0)
            return;
        var io = inputs.Views(shape);
        kernels.Logprobs.Measure(stream, work.Logits, model.VocabSize, io.LogprobRows, io.LogprobTop, records, work.LogprobScratch, shape.LogprobJobs);
        probe?.After(stream, KernelRole.Logprobs, -1);
    }

    /// <summary>Logits of the final-normed rows, log probabilities where asked, bans, then sampling into <paramref name="sampled"/> if given.</summary>
    private void LmHeadAndSampling(CudaStream stream, StepShape shape, StepViews io, ILinearLayer lmHead, SampleTargets sampled, ILaunchProbe? probe)
    {
        int rows = shape.SampledRows;
        lmHead.Run(stream, weights.LmHead, work.FinalNormed, work.Logits);
        probe?.After(stream, KernelRole.LmHead, -1, lmHead.WaitsForPredecessor);
        if (!sampled.IsEmpty)
            MeasureLogprobs(stream, shape, sampled.Records, probe);
        if (shape.MaskCount > 0)
        {
            kernels.Util.MaskTokens(stream, work.Logits, model.VocabSize, io.MaskRows, io.MaskIds, shape.MaskCount);
            probe?.After(stream, KernelRole.MaskTokens, -1);
        }
        if (!sampled.IsEmpty)
        {
            if (splitSampling)
                kernels.Sampling.SampleSplit(stream, work.Logits, model.VocabSize, io.Temperature, io.TopK, io.TopP, io.Seeds, io.Steps, sampled.Ids, rows,
                    SamplingKernel.ChunksFor(rows, multiprocessors), work.SamplePartialScores, work.SamplePartialIndices, work.SampleCounters, sampled.Logits);
            else
                kernels.Sampling.Sample(stream, work.Logits, model.VocabSize, io.Temperature, io.TopK, io.TopP,
                    io.Seeds, io.Steps, sampled.Ids, rows, sampled.Logits);
            probe?.After(stream, KernelRole.Sampling, -1);
        }
    }

    private void Attention(CudaStream stream, StepShape shape, StepViews io, int index, GpuLayerWeights layer, ILaunchProbe? probe, bool recordKvMaxima)
    {
        var kv = cache.Layer(index);
        kernels.QkNormRope.Run(stream, work.Qkv, io.Positions, io.Slots, weights.InverseFrequencies,
            layer.QNorm?.View ?? default, layer.KNorm?.View ?? default, layer.QkvBias?.View ?? default, kv,
            recordKvMaxima ? cache.AbsoluteMaxima(index) : default, shape.Tokens, _eps);
        probe?.After(stream, KernelRole.QkNormRope, index);
        int stride = inputs.MaxBlocksPerSequence, d = shape.DecodeSequences;
        kernels.DecodeAttention.Run(stream, work.Qkv, kv, io.SeqStart, io.ContextLengths, io.BlockTables, stride,
            work.AttentionOutput, work.PartialAccumulators, work.PartialStatistics, d, SplitsFor(d), _scale,
            mergeAttentionInLastCta ? (DeviceSpan<uint>)work.AttentionMergeCounters : default);
        if (d > 0)
            probe?.After(stream, KernelRole.DecodeAttention, index);
        if (shape.PrefillSequences > 0)
        {
            kernels.PrefillAttention.Run(stream, work.Qkv, kv, io.SeqStart.Slice(d), io.ContextLengths.Slice(d),
                io.BlockTables.Slice((long)d * stride), stride, io.TileOffsets, shape.PrefillSequences, shape.PrefillTiles,
                work.AttentionOutput, _scale);
            probe?.After(stream, KernelRole.PrefillAttention, index);
        }
    }
}
