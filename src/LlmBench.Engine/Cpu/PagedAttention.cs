using System.Numerics.Tensors;
using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// Causal attention for a batch of tokens from many sequences, reading K/V from the paged cache (this pass's own
/// tokens were written there first, so "causal within the chunk" and "earlier context" are the same loop: a token
/// at position p attends to positions 0..p of its sequence). GQA: query head h reads kv head h / (heads / kv heads).
/// Softmax in fp32 as transformers does; one work item per (token, head).
/// </summary>
internal sealed class PagedAttention(ModelConfig model, int maxModelLen)
{
    private readonly int _numHeads = model.NumAttentionHeads;
    private readonly int _headDim = model.HeadDim;
    private readonly int _groupSize = model.NumAttentionHeads / model.NumKeyValueHeads;
    private readonly float _scale = 1f / MathF.Sqrt(model.HeadDim);

    [ThreadStatic]
    private static float[]? t_scores;

    /// <summary>Writes each token's attention output, [tokens × heads·head_dim], into <paramref name="output"/>.</summary>
    public void Run(TokenBatch batch, float[] qkv, int qkvStride, PagedKvCache cache, int layer, float[] output)
    {
        int items = batch.Count * _numHeads;
        long workPerItem = (long)(batch.Positions[batch.Count - 1] + 1) * _headDim * 2;
        ParallelWork.ForRanges(items, workPerItem, (start, end) =>
        {
            for (int item = start; item < end; item++)
                AttendOne(batch, item / _numHeads, item % _numHeads, qkv, qkvStride, cache, layer, output);
        });
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void AttendOne(TokenBatch batch, int token, int head, float[] qkv, int qkvStride, PagedKvCache cache, int layer, float[] output)
    {
        int position = batch.Positions[token];
        var blockTable = batch.BlockTables[token];
        int blockSize = cache.BlockSize, stride = cache.TokenStride;
        int kvOffset = head / _groupSize * _headDim;
        var keys = cache.Keys(layer);
        var values = cache.Values(layer);
        var query = new ReadOnlySpan<float>(qkv, token * qkvStride + head * _headDim, _headDim);
        var scores = Scores(maxModelLen).AsSpan(0, position + 1);

        for (int j = 0, block = 0; j <= position; block++)
        {
            int slot = blockTable[block] * blockSize;
            for (int o = 0; o < blockSize && j <= position; o++, j++)
                scores[j] = TensorPrimitives.Dot(query, new ReadOnlySpan<float>(keys, (slot + o) * stride + kvOffset, _headDim)) * _scale;
        }
        float max = TensorPrimitives.Max(scores);
        TensorPrimitives.Subtract(scores, max, scores);
        TensorPrimitives.Exp(scores, scores);
        TensorPrimitives.Divide(scores, TensorPrimitives.Sum(scores), scores);

        var result = new Span<float>(output, token * _numHeads * _headDim + head * _headDim, _headDim);
        result.Clear();
        for (int j = 0, block = 0; j <= position; block++)
        {
            int slot = blockTable[block] * blockSize;
            for (int o = 0; o < blockSize && j <= position; o++, j++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(values, (slot + o) * stride + kvOffset, _headDim), scores[j], result, result);
        }
    }

    private static float[] Scores(int length)
    {
        if (t_scores is null || t_scores.Length < length)
            t_scores = new float[length];
        return t_scores;
    }
}
