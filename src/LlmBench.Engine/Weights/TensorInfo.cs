namespace LlmBench.Engine.Weights;

public enum TensorDType
{
    F32,
    F16,
    BF16,
}

/// <summary>A named tensor's dtype and shape (row-major, as safetensors stores it).</summary>
public sealed record TensorInfo(string Name, TensorDType DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public int BytesPerElement => DType == TensorDType.F32 ? 4 : 2;

    public long ByteLength => ElementCount * BytesPerElement;
}
