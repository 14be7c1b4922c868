namespace LlmBench.Engine.Weights;

public enum TensorDType
{
    F32,
    F16,
    BF16,

    /// <summary>fp8 e4m3 ("fn": no infinities, NaN at 0x7F/0xFF), as FP8 checkpoints store their linear weights, each with
    /// a companion block-scale tensor (see <see cref="BlockFp8TensorSource"/>). Named as safetensors names it.</summary>
    F8_E4M3,
}

/// <summary>A named tensor's dtype and shape (row-major, as safetensors stores it).</summary>
public sealed record TensorInfo(string Name, TensorDType DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public int BytesPerElement => DType switch
    {
        TensorDType.F32 => 4,
        TensorDType.F8_E4M3 => 1,
        _ => 2,
    };

    public long ByteLength => ElementCount * BytesPerElement;
}
