namespace LlmBench.Engine.Weights;

/// <summary>Argument checks shared by the tensor sources, so every source words them the same way.</summary>
internal static class TensorReads
{
    public static void CheckLength(TensorInfo info, int destinationLength, long expectedLength)
    {
        if (destinationLength != expectedLength)
            throw new ArgumentException(
                $"Tensor {info.Name} needs a destination of {expectedLength} elements/bytes, not {destinationLength}.");
    }
}
