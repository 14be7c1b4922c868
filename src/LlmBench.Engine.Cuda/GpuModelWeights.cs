using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;
using LlmBench.Gpu;
using LlmBench.Gpu.Numerics;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>One decoder layer's weights on the GPU, bf16, with q/k/v and gate/up fused into single GEMMs.</summary>
internal sealed class GpuLayerWeights : IDisposable
{
    public required DeviceBuffer<BFloat16> InputNorm { get; init; }
    /// <summary>[(NQ + 2·NKV)·D, hidden]: q rows, then k, then v.</summary>
    public required GpuLinearWeight Qkv { get; init; }
    public DeviceBuffer<BFloat16>? QkvBias { get; init; }
    public DeviceBuffer<BFloat16>? QNorm { get; init; }
    public DeviceBuffer<BFloat16>? KNorm { get; init; }
    public required GpuLinearWeight OutProj { get; init; }
    public required DeviceBuffer<BFloat16> PostAttentionNorm { get; init; }
    /// <summary>[2·intermediate, hidden]: gate rows, then up rows.</summary>
    public required GpuLinearWeight GateUp { get; init; }
    public required GpuLinearWeight Down { get; init; }

    public void Dispose()
    {
        foreach (var buffer in new[] { InputNorm, QkvBias, QNorm, KNorm, PostAttentionNorm })
            buffer?.Dispose();
        foreach (var weight in new[] { Qkv, OutProj, GateUp, Down })
            weight.Dispose();
    }
}

/// <summary>The whole model's weights on the GPU, uploaded once.</summary>
internal sealed class GpuModelWeights : IDisposable
{
    private GpuModelWeights(DeviceBuffer<BFloat16> embedding, DeviceBuffer<BFloat16>? lmHead, DeviceBuffer<BFloat16> finalNorm,
        DeviceBuffer<float> inverseFrequencies, GpuLayerWeights[] layers)
    {
        Embedding = embedding;
        _untiedLmHead = lmHead;
        FinalNorm = finalNorm;
        InverseFrequencies = inverseFrequencies;
        Layers = layers;
    }

    private readonly DeviceBuffer<BFloat16>? _untiedLmHead;

    public DeviceBuffer<BFloat16> Embedding { get; }
    public DeviceBuffer<BFloat16> LmHead => _untiedLmHead ?? Embedding;
    public DeviceBuffer<BFloat16> FinalNorm { get; }
    /// <summary>RoPE's inv_freq table [D/2], computed on the host exactly as the CPU executor and HF do.</summary>
    public DeviceBuffer<float> InverseFrequencies { get; }
    public IReadOnlyList<GpuLayerWeights> Layers { get; }

    /// <summary>Bytes of every weight the model keeps on the GPU (what a decode step streams, embeddings aside): bf16,
    /// or with fp8 layer weights one byte per linear weight plus a 4-byte scale per row.</summary>
    public static long SizeBytes(ModelConfig model, WeightQuantization quantization = WeightQuantization.None)
    {
        long h = model.HiddenSize;
        long linear = h * (model.QSize + 2L * model.KvSize) + h * model.QSize + 3L * h * model.IntermediateSize;
        long linearRows = model.QSize + 2L * model.KvSize + h + 2L * model.IntermediateSize + h;
        long embeddings = (long)model.VocabSize * h * (model.TieWordEmbeddings ? 1 : 2);
        long linearBytes = quantization == WeightQuantization.Fp8 ? linear + 4 * linearRows : 2 * linear;
        return 2 * (embeddings + model.NumHiddenLayers * 2 * h + h) + model.NumHiddenLayers * linearBytes;
    }

    /// <param name="fp8">With --quantization fp8: the quantizers (the layers' linear weights are stored in fp8).</param>
    public static GpuModelWeights Upload(GpuDevice device, CudaStream stream, ModelConfig model, ITensorSource source, Fp8LayerKernels? fp8 = null)
    {
        var layers = new GpuLayerWeights[model.NumHiddenLayers];
        for (int i = 0; i < layers.Length; i++)
            layers[i] = UploadLayer(device, stream, model, source, i, fp8);
        var embedding = GpuWeightUpload.Upload(device, source, ModelTensorLayout.EmbedTokens);
        var lmHead = model.TieWordEmbeddings ? null : GpuWeightUpload.Upload(device, source, ModelTensorLayout.LmHead);
        var finalNorm = GpuWeightUpload.Upload(device, source, ModelTensorLayout.FinalNorm);
        var frequencies = GpuWeightUpload.UploadFloats(device, Engine.Cpu.RotaryEmbedding.InverseFrequencies(model));
        return new GpuModelWeights(embedding, lmHead, finalNorm, frequencies, layers);
    }

    private static GpuLayerWeights UploadLayer(GpuDevice device, CudaStream stream, ModelConfig model, ITensorSource source, int i, Fp8LayerKernels? fp8)
    {
        string Name(string suffix) => ModelTensorLayout.Layer(i, suffix);
        DeviceBuffer<BFloat16> Load(params string[] suffixes) =>
            GpuWeightUpload.Upload(device, source, [.. suffixes.Select(Name)]);
        GpuLinearWeight Linear(int inFeatures, params string[] suffixes) =>
            GpuLinearWeight.Upload(device, stream, source, fp8?.QuantizerFor(inFeatures), [.. suffixes.Select(Name)]);
        return new GpuLayerWeights
        {
            InputNorm = Load("input_layernorm.weight"),
            Qkv = Linear(model.HiddenSize, "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight"),
            QkvBias = model.AttentionBias ? Load("self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias") : null,
            QNorm = model.QkNorm ? Load("self_attn.q_norm.weight") : null,
            KNorm = model.QkNorm ? Load("self_attn.k_norm.weight") : null,
            OutProj = Linear(model.QSize, "self_attn.o_proj.weight"),
            PostAttentionNorm = Load("post_attention_layernorm.weight"),
            GateUp = Linear(model.HiddenSize, "mlp.gate_proj.weight", "mlp.up_proj.weight"),
            Down = Linear(model.IntermediateSize, "mlp.down_proj.weight"),
        };
    }

    public void Dispose()
    {
        foreach (var layer in Layers)
            layer.Dispose();
        Embedding.Dispose();
        _untiedLmHead?.Dispose();
        FinalNorm.Dispose();
        InverseFrequencies.Dispose();
    }
}
