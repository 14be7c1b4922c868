using System.Numerics.Tensors;
using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Causal attention for a batch of tokens from many sequences, reading K/V from the paged cache (this pass's own
/// tokens were written there first, so "causal within the chunk" and "earlier context" are the same loop: a token
/// at position p attends to positions 0..p of its sequence). GQA: query head h reads kv head h / (heads / kv heads).
/// Softmax in fp32 as transformers does. One work item per (token, kv head) takes all the query heads that share
/// that kv head, so each cached key and value row is read from memory once and used by every head of the group
/// while it is in L1 (reading it once per query head made long contexts memory-bound on the CPU).
/// </summary>
internal sealed unsafe class PagedAttention(ModelConfig model, int maxModelLen)
{
    private readonly int _numHeads = model.NumAttentionHeads;
    private readonly int _numKvHeads = model.NumKeyValueHeads;
    private readonly int _headDim = model.HeadDim;
    private readonly int _groupSize = model.NumAttentionHeads / model.NumKeyValueHeads;
    private readonly float _scale = 1f / MathF.Sqrt(model.HeadDim);

    [ThreadStatic]
    private static float[]? t_scores;

    /// <summary>Writes each token's attention output, [tokens × heads·head_dim], into <paramref name="output"/>.</summary>
    public void Run(TokenBatch batch, float[] qkv, int qkvStride, PagedKvCache cache, int layer, float[] output)
    {
        int items = batch.Count * _numKvHeads;
        long workPerItem = (long)(batch.Positions[batch.Count - 1] + 1) * _headDim * 2 * _groupSize;
        ParallelWork.ForRanges(items, workPerItem, (start, end) =>
        {
            for (int item = start; item < end; item++)
                AttendGroup(batch, item / _numKvHeads, item % _numKvHeads, qkv, qkvStride, cache, layer, output);
        });
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AttendGroup(TokenBatch batch, int token, int kvHead, float[] qkv, int qkvStride, PagedKvCache cache, int layer, float[] output)
    {
        int position = batch.Positions[token], keys = position + 1;
        var blockTable = batch.BlockTables[token];
        int blockSize = cache.BlockSize, d = _headDim, g = _groupSize;
        var kc = cache.Keys(layer);
        var vc = cache.Values(layer);
        int firstHead = kvHead * g;
        // scores[h * keys + j]: query head firstHead + h against key j.
        var scores = Scores(maxModelLen * g).AsSpan(0, keys * g);

        for (int j = 0, block = 0; j < keys; block++)
        {
            fixed (float* k0 = &kc[cache.HeadRun(blockTable[block], kvHead)], q0 = &qkv[token * qkvStride + firstHead * d])
                for (int o = 0; o < blockSize && j < keys; o++, j++)
                    for (int h = 0; h < g; h++)
                        scores[h * keys + j] = AttentionRows.Dot(q0 + h * d, k0 + o * d, d) * _scale;
        }

        for (int h = 0; h < g; h++)
        {
            var row = scores.Slice(h * keys, keys);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
            new Span<float>(output, token * _numHeads * d + (firstHead + h) * d, d).Clear();
        }

        for (int j = 0, block = 0; j < keys; block++)
        {
            fixed (float* v0 = &vc[cache.HeadRun(blockTable[block], kvHead)], r0 = &output[token * _numHeads * d + firstHead * d])
                for (int o = 0; o < blockSize && j < keys; o++, j++)
                    for (int h = 0; h < g; h++)
                        AttentionRows.AddScaled(r0 + h * d, v0 + o * d, scores[h * keys + j], d);
        }
    }

    private static float[] Scores(int length)
    {
        if (t_scores is null || t_scores.Length < length)
            t_scores = new float[length];
        return t_scores;
    }
}
