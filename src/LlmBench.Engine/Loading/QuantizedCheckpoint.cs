using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Loading;

/// <summary>
/// Matches a checkpoint's stored dtypes with its config.json: a quantization_config of block-scaled fp8 puts the weights
/// behind <see cref="BlockFp8TensorSource"/> (dequantized as they are read); fp8 tensors without one, or one without fp8
/// tensors, are refused in one sentence.
/// </summary>
internal static class QuantizedCheckpoint
{
    /// <summary>The weights as engines read them; on an error the caller still owns (and disposes) <paramref name="weights"/>.</summary>
    public static ITensorSource Open(ModelConfig config, ITensorSource weights, string weightsFile)
    {
        var fp8 = weights.Names.Order(StringComparer.Ordinal).FirstOrDefault(n => weights.GetInfo(n).DType == TensorDType.F8_E4M3);
        if (config.Quantization is not { } q)
        {
            return fp8 is null
                ? weights
                : throw new UserErrorException(
                    $"{weightsFile} stores tensor {fp8} as F8_E4M3, but config.json has no quantization_config to say how it is scaled (llmbench loads fp8 checkpoints with quant_method \"fp8\" and a weight_block_size).");
        }

        if (fp8 is null)
            throw new UserErrorException($"config.json's quantization_config says fp8, but {weightsFile} holds no F8_E4M3 tensor.");
        return new BlockFp8TensorSource(weights, q.BlockRows, q.BlockColumns, weightsFile);
    }
}
