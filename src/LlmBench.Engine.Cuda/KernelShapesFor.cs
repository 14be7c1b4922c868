using LlmBench.Engine.Models;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

internal static class KernelShapesFor
{
    /// <summary>The kernels' macros for <paramref name="model"/>; a model they cannot run is a user error.</summary>
    public static KernelShapes Model(ModelConfig model, int blockSize, KvCacheDtype kvCacheDtype = KvCacheDtype.Auto,
        WeightQuantization quantization = WeightQuantization.None)
    {
        if (model.OutputProjectionBias)
            throw new UserErrorException($"the CUDA engine does not support an o_proj bias ({model.ModelType} with attention_bias); use --device cpu.");
        try
        {
            return new KernelShapes
            {
                HiddenSize = model.HiddenSize,
                IntermediateSize = model.IntermediateSize,
                NumQHeads = model.NumAttentionHeads,
                NumKvHeads = model.NumKeyValueHeads,
                HeadDim = model.HeadDim,
                BlockSize = blockSize,
                QkNorm = model.QkNorm,
                QkvBias = model.AttentionBias,
                KvCacheFp8 = kvCacheDtype.IsFp8(),
                WeightsFp8 = quantization == WeightQuantization.Fp8,
            }.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UserErrorException($"the CUDA engine cannot run this model: {ex.Message}");
        }
    }
}
