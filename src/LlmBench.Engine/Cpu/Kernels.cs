using System.Numerics.Tensors;

namespace LlmBench.Engine.Cpu;

/// <summary>The element-wise steps of the forward pass, in fp32, each matching its transformers counterpart.</summary>
internal static class Kernels
{
    /// <summary>
    /// RMSNorm as transformers computes it: x * rsqrt(mean(x²) + eps), then times the weight (in that order,
    /// so rounding matches). Applied to each <paramref name="width"/>-wide row of <paramref name="rows"/> rows.
    /// </summary>
    public static void RmsNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, float eps, Span<float> output, int rows, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * width, width);
            var y = output.Slice(r * width, width);
            float meanSquare = TensorPrimitives.SumOfSquares(x) / width;
            float scale = 1f / MathF.Sqrt(meanSquare + eps);
            TensorPrimitives.Multiply(x, scale, y);
            TensorPrimitives.Multiply(y, weight, y);
        }
    }

    /// <summary>Qwen3's q/k norm: RMSNorm over each head_dim slice of a row, in place.</summary>
    public static void HeadRmsNorm(Span<float> heads, ReadOnlySpan<float> weight, float eps)
    {
        int headDim = weight.Length;
        for (int h = 0; h < heads.Length / headDim; h++)
            RmsNorm(heads.Slice(h * headDim, headDim), weight, eps, heads.Slice(h * headDim, headDim), 1, headDim);
    }

    /// <summary>Adds a bias to each <c>bias.Length</c>-wide row.</summary>
    public static void AddBias(Span<float> rows, ReadOnlySpan<float> bias, int count)
    {
        for (int r = 0; r < count; r++)
            TensorPrimitives.Add(rows.Slice(r * bias.Length, bias.Length), bias, rows.Slice(r * bias.Length, bias.Length));
    }

    /// <summary>SwiGLU: act = silu(gate) * up, with gate and up side by side in each row of <paramref name="gateUp"/>.</summary>
    public static void SiluMul(ReadOnlySpan<float> gateUp, Span<float> act, int rows, int intermediate)
    {
        for (int r = 0; r < rows; r++)
        {
            var gate = gateUp.Slice(r * 2 * intermediate, intermediate);
            var up = gateUp.Slice(r * 2 * intermediate + intermediate, intermediate);
            var y = act.Slice(r * intermediate, intermediate);
            TensorPrimitives.Sigmoid(gate, y);
            TensorPrimitives.Multiply(y, gate, y); // silu(x) = x · sigmoid(x)
            TensorPrimitives.Multiply(y, up, y);
        }
    }

    /// <summary>residual += delta.</summary>
    public static void AddInPlace(Span<float> residual, ReadOnlySpan<float> delta) =>
        TensorPrimitives.Add(residual, delta, residual);
}
