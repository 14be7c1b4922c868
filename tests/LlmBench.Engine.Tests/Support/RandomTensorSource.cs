using System.Runtime.InteropServices;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Support;

/// <summary>
/// An in-memory checkpoint with seeded random weights under Hugging Face names, for a <see cref="ModelConfig"/>.
/// Matrices are uniform with std ≈ 1/√fan_in (so activations neither vanish nor blow up), norm weights are
/// 1 ± 0.2 and biases ± 0.1: never zeros. BF16 checkpoints round each value to bf16 (ReadFloat32 widens exactly).
/// </summary>
internal sealed class RandomTensorSource : ITensorSource
{
    private readonly Dictionary<string, (TensorInfo Info, float[] Values)> _tensors = new(StringComparer.Ordinal);

    public RandomTensorSource(ModelConfig model, int seed = 1, TensorDType dtype = TensorDType.F32)
    {
        var random = new Random(seed);
        int hidden = model.HiddenSize, q = model.QSize, kv = model.KvSize, inter = model.IntermediateSize;
        AddMatrix("model.embed_tokens.weight", model.VocabSize, hidden, 1.0, random, dtype);
        for (int layer = 0; layer < model.NumHiddenLayers; layer++)
        {
            string p = $"model.layers.{layer}.";
            AddNorm($"{p}input_layernorm.weight", hidden, random, dtype);
            AddMatrix($"{p}self_attn.q_proj.weight", q, hidden, 1 / Math.Sqrt(hidden), random, dtype);
            AddMatrix($"{p}self_attn.k_proj.weight", kv, hidden, 1 / Math.Sqrt(hidden), random, dtype);
            AddMatrix($"{p}self_attn.v_proj.weight", kv, hidden, 1 / Math.Sqrt(hidden), random, dtype);
            if (model.AttentionBias)
            {
                AddVector($"{p}self_attn.q_proj.bias", q, 0, 0.1, random, dtype);
                AddVector($"{p}self_attn.k_proj.bias", kv, 0, 0.1, random, dtype);
                AddVector($"{p}self_attn.v_proj.bias", kv, 0, 0.1, random, dtype);
            }
            if (model.QkNorm)
            {
                AddNorm($"{p}self_attn.q_norm.weight", model.HeadDim, random, dtype);
                AddNorm($"{p}self_attn.k_norm.weight", model.HeadDim, random, dtype);
            }
            AddMatrix($"{p}self_attn.o_proj.weight", hidden, q, 1 / Math.Sqrt(q), random, dtype);
            AddNorm($"{p}post_attention_layernorm.weight", hidden, random, dtype);
            AddMatrix($"{p}mlp.gate_proj.weight", inter, hidden, 1 / Math.Sqrt(hidden), random, dtype);
            AddMatrix($"{p}mlp.up_proj.weight", inter, hidden, 1 / Math.Sqrt(hidden), random, dtype);
            AddMatrix($"{p}mlp.down_proj.weight", hidden, inter, 1 / Math.Sqrt(inter), random, dtype);
        }
        AddNorm("model.norm.weight", hidden, random, dtype);
        if (!model.TieWordEmbeddings)
            AddMatrix("lm_head.weight", model.VocabSize, hidden, 1 / Math.Sqrt(hidden), random, dtype);
    }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public TensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var t) ? t.Info : throw new KeyNotFoundException($"no tensor '{name}'.");

    public void ReadFloat32(string name, Span<float> destination) => Values(name).CopyTo(destination);

    public void ReadRaw(string name, Span<byte> destination)
    {
        var (info, values) = _tensors[name];
        if (info.DType == TensorDType.F32)
        {
            MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(destination);
            return;
        }
        var bits = MemoryMarshal.Cast<byte, ushort>(destination);
        for (int i = 0; i < values.Length; i++)
            bits[i] = info.DType == TensorDType.BF16 ? (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16) : BitConverter.HalfToUInt16Bits((Half)values[i]);
    }

    /// <summary>The values as a model sees them (already rounded to the checkpoint's dtype).</summary>
    public float[] Values(string name) => _tensors[name].Values;

    /// <summary>Replaces a tensor's values (same shape), e.g. to plant a known pattern.</summary>
    public void Set(string name, float[] values)
    {
        var (info, old) = _tensors[name];
        if (values.Length != old.Length)
            throw new ArgumentException("shape mismatch", nameof(values));
        _tensors[name] = (info, values.Select(v => Round(v, info.DType)).ToArray());
    }

    public void Dispose()
    {
    }

    private void AddMatrix(string name, int rows, int columns, double std, Random random, TensorDType dtype) =>
        Add(name, [rows, columns], rows * columns, 0, std, random, dtype);

    private void AddVector(string name, int length, double mean, double std, Random random, TensorDType dtype) =>
        Add(name, [length], length, mean, std, random, dtype);

    private void AddNorm(string name, int length, Random random, TensorDType dtype) =>
        AddVector(name, length, 1.0, 0.2 / Math.Sqrt(3), random, dtype);

    private void Add(string name, long[] shape, int count, double mean, double std, Random random, TensorDType dtype)
    {
        double halfWidth = std * Math.Sqrt(3); // uniform(-a, a) has std a/√3
        var values = new float[count];
        for (int i = 0; i < count; i++)
            values[i] = Round((float)(mean + (random.NextDouble() * 2 - 1) * halfWidth), dtype);
        _tensors[name] = (new TensorInfo(name, dtype, shape), values);
    }

    /// <summary>Rounds to bf16 by truncation toward zero (good enough for random test weights; exact once widened).</summary>
    private static float Round(float value, TensorDType dtype) => dtype switch
    {
        TensorDType.BF16 => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) & 0xFFFF0000u),
        TensorDType.F16 => (float)(Half)value,
        _ => value,
    };
}
