using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cpu;

/// <summary>All weights of a decoder-only model in CPU memory, under Hugging Face tensor names.</summary>
internal sealed class ModelWeights
{
    private ModelWeights(WeightMatrix embedding, LayerWeights[] layers, float[] finalNorm, WeightMatrix lmHead)
    {
        Embedding = embedding;
        Layers = layers;
        FinalNorm = finalNorm;
        LmHead = lmHead;
    }

    public WeightMatrix Embedding { get; }
    public IReadOnlyList<LayerWeights> Layers { get; }
    public float[] FinalNorm { get; }

    /// <summary>The embedding itself when the model ties them.</summary>
    public WeightMatrix LmHead { get; }

    public long SizeBytes =>
        Embedding.SizeBytes + Layers.Sum(l => l.SizeBytes) + (ReferenceEquals(LmHead, Embedding) ? 0 : LmHead.SizeBytes);

    public static ModelWeights Load(ModelConfig model, ITensorSource source, CpuWeightFormat format)
    {
        var load = new WeightLoader(source, format);
        var embedding = load.Matrix(model.HiddenSize, ("model.embed_tokens.weight", model.VocabSize));
        var layers = new LayerWeights[model.NumHiddenLayers];
        for (int layer = 0; layer < layers.Length; layer++)
            layers[layer] = LayerWeights.Load(load, model, layer);
        var finalNorm = load.Vector(("model.norm.weight", model.HiddenSize));
        // Tied checkpoints usually omit lm_head.weight; untied ones must have it.
        var lmHead = model.TieWordEmbeddings
            ? embedding
            : load.Matrix(model.HiddenSize, ("lm_head.weight", model.VocabSize));
        return new ModelWeights(embedding, layers, finalNorm, lmHead);
    }
}
