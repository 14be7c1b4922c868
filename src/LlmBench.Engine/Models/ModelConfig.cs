namespace LlmBench.Engine.Models;

/// <summary>The decoder families the engine runs; they differ only in small switches (see <see cref="ModelConfig"/>).</summary>
public enum ModelFamily
{
    Qwen3,
    Qwen2,
    Llama,
}

/// <summary>
/// The parts of a Hugging Face config.json the engine needs, validated. Qwen3 has q/k head RMSNorm,
/// Qwen2/2.5 have q/k/v biases, Llama has neither.
/// </summary>
public sealed record ModelConfig
{
    public required ModelFamily Family { get; init; }

    /// <summary>config.json's model_type, e.g. "qwen3".</summary>
    public required string ModelType { get; init; }

    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }
    public required int HeadDim { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public double RopeTheta { get; init; } = 10000.0;
    public double RmsNormEps { get; init; } = 1e-6;
    public bool TieWordEmbeddings { get; init; }

    /// <summary>q/k/v projections carry a bias (Qwen2/2.5).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>
    /// o_proj carries a bias too: HF's attention_bias switch (Llama, Qwen3) covers q, k, v and o, while
    /// Qwen2's fixed biases cover q, k, v only.
    /// </summary>
    public bool OutputProjectionBias => AttentionBias && Family != ModelFamily.Qwen2;

    /// <summary>q and k are RMS-normalized per head before RoPE (Qwen3).</summary>
    public bool QkNorm { get; init; }

    /// <summary>Llama 3 style RoPE frequency scaling; null for plain RoPE.</summary>
    public RopeScaling? RopeScaling { get; init; }

    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary>The checkpoint's quantization_config: block-scaled fp8 weights, dequantized at load; null when unquantized.</summary>
    public Fp8BlockQuantization? Quantization { get; init; }

    /// <summary>config.json's torch_dtype ("bfloat16", "float32", ...), informational.</summary>
    public string TorchDtype { get; init; } = "bfloat16";

    public int QSize => NumAttentionHeads * HeadDim;
    public int KvSize => NumKeyValueHeads * HeadDim;

    /// <summary>Bytes of K and V for one token across all layers at <paramref name="bytesPerElement"/>.</summary>
    public long KvBytesPerToken(int bytesPerElement) => 2L * NumHiddenLayers * KvSize * bytesPerElement;
}

/// <summary>Llama 3 "llama3" rope_scaling parameters.</summary>
public sealed record RopeScaling(string Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalMaxPositionEmbeddings);
