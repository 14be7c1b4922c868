using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// The decoder forward pass for Qwen3, Qwen2/2.5 and Llama in fp32, one batch of tokens at a time:
/// embed → per layer [norm → qkv (+bias) → q/k head norm → RoPE → store K/V → paged attention → o_proj + residual
/// → norm → gate/up → SiLU·mul → down + residual] → final norm of the sampled rows → LM head.
/// Each token's result depends only on its own sequence, never on what else is in the batch.
/// </summary>
internal sealed class ForwardPass
{
    private readonly ModelConfig _model;
    private readonly ModelWeights _weights;
    private readonly PagedKvCache _cache;
    private readonly RotaryEmbedding _rope;
    private readonly PagedAttention _attention;
    private readonly Workspace _work;
    private readonly float _eps;
    private readonly int _qkvStride;

    public ForwardPass(ModelConfig model, ModelWeights weights, PagedKvCache cache, Workspace work, int maxModelLen)
    {
        _model = model;
        _weights = weights;
        _cache = cache;
        _work = work;
        _rope = new RotaryEmbedding(model, maxModelLen);
        _attention = new PagedAttention(model, maxModelLen);
        _eps = (float)model.RmsNormEps;
        _qkvStride = model.QSize + 2 * model.KvSize;
    }

    /// <summary>Runs every layer over the batch (filling the KV cache) and leaves the final-normed hidden
    /// states of the sampled rows in <see cref="Workspace.SampleHidden"/>.</summary>
    public void Run(TokenBatch batch)
    {
        int n = batch.Count, hidden = _model.HiddenSize;
        Embed(batch);
        for (int layer = 0; layer < _weights.Layers.Count; layer++)
        {
            var w = _weights.Layers[layer];
            Kernels.RmsNorm(_work.Hidden, w.InputNorm, _eps, _work.Normed, n, hidden);
            ProjectQkv(w, n);
            PositionQueriesAndKeys(w, batch);
            StoreKeysAndValues(batch, layer);
            _attention.Run(batch, _work.Qkv, _qkvStride, _cache, layer, _work.Attention);
            w.O.Multiply(_work.Attention, n, _work.Projected);
            Kernels.AddInPlace(_work.Hidden.AsSpan(0, n * hidden), _work.Projected.AsSpan(0, n * hidden));

            Kernels.RmsNorm(_work.Hidden, w.PostAttentionNorm, _eps, _work.Normed, n, hidden);
            w.GateUp.Multiply(_work.Normed, n, _work.GateUp);
            Kernels.SiluMul(_work.GateUp, _work.Activation, n, _model.IntermediateSize);
            w.Down.Multiply(_work.Activation, n, _work.Projected);
            Kernels.AddInPlace(_work.Hidden.AsSpan(0, n * hidden), _work.Projected.AsSpan(0, n * hidden));
        }
        NormSampledRows(batch);
    }

    /// <summary>Logits of sampled rows [first, first + count) into <see cref="Workspace.Logits"/>.</summary>
    public void ComputeLogits(int first, int count)
    {
        int hidden = _model.HiddenSize;
        // The LM head reads its input from row 0, so move the group there first (rows never overlap backwards).
        if (first > 0)
            _work.SampleHidden.AsSpan(first * hidden, count * hidden).CopyTo(_work.SampleHidden.AsSpan(0, count * hidden));
        _weights.LmHead.Multiply(_work.SampleHidden, count, _work.Logits);
    }

    private void Embed(TokenBatch batch)
    {
        int hidden = _model.HiddenSize;
        for (int t = 0; t < batch.Count; t++)
            _weights.Embedding.ReadRow(batch.TokenIds[t], _work.Hidden.AsSpan(t * hidden, hidden));
    }

    private void ProjectQkv(LayerWeights w, int n)
    {
        w.Qkv.Multiply(_work.Normed, n, _work.Qkv);
        if (w.QkvBias is { } bias)
            Kernels.AddBias(_work.Qkv, bias, n);
    }

    /// <summary>Qwen3's per-head q/k RMSNorm, then RoPE on q and k at each token's position.</summary>
    private void PositionQueriesAndKeys(LayerWeights w, TokenBatch batch)
    {
        int q = _model.QSize, kv = _model.KvSize, headDim = _model.HeadDim;
        for (int t = 0; t < batch.Count; t++)
        {
            var queries = _work.Qkv.AsSpan(t * _qkvStride, q);
            var keys = _work.Qkv.AsSpan(t * _qkvStride + q, kv);
            if (w.QNorm is { } qNorm && w.KNorm is { } kNorm)
            {
                Kernels.HeadRmsNorm(queries, qNorm, _eps);
                Kernels.HeadRmsNorm(keys, kNorm, _eps);
            }
            for (int h = 0; h < q / headDim; h++)
                _rope.Apply(queries.Slice(h * headDim, headDim), batch.Positions[t]);
            for (int h = 0; h < kv / headDim; h++)
                _rope.Apply(keys.Slice(h * headDim, headDim), batch.Positions[t]);
        }
    }

    private void StoreKeysAndValues(TokenBatch batch, int layer)
    {
        int q = _model.QSize, kv = _model.KvSize;
        for (int t = 0; t < batch.Count; t++)
        {
            var row = _work.Qkv.AsSpan(t * _qkvStride, _qkvStride);
            _cache.Write(layer, batch.Slots[t], row.Slice(q, kv), row.Slice(q + kv, kv));
        }
    }

    private void NormSampledRows(TokenBatch batch)
    {
        int hidden = _model.HiddenSize;
        for (int s = 0; s < batch.SampleCount; s++)
        {
            var row = _work.Hidden.AsSpan(batch.SampleRows[s] * hidden, hidden);
            Kernels.RmsNorm(row, _weights.FinalNorm, _eps, _work.SampleHidden.AsSpan(s * hidden, hidden), 1, hidden);
        }
    }
}
