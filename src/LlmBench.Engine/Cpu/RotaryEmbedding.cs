using LlmBench.Engine.Models;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// RoPE in Hugging Face's rotate_half convention (non-interleaved): element i pairs with element i + head_dim/2.
/// cos/sin are computed as transformers does, in fp32 from fp32 angles pos·inv_freq, and tabulated once for
/// every position up to the model length. Llama 3 "llama3" scaling adjusts inv_freq.
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int _half;

    public RotaryEmbedding(ModelConfig model, int maxPositions)
    {
        _half = model.HeadDim / 2;
        var inverseFrequencies = InverseFrequencies(model);
        _cos = new float[(long)maxPositions * _half];
        _sin = new float[(long)maxPositions * _half];
        for (int pos = 0; pos < maxPositions; pos++)
        {
            for (int i = 0; i < _half; i++)
            {
                float angle = pos * inverseFrequencies[i];
                _cos[pos * _half + i] = MathF.Cos(angle);
                _sin[pos * _half + i] = MathF.Sin(angle);
            }
        }
    }

    public int MaxPositions => _cos.Length / _half;

    /// <summary>Rotates one head vector in place for <paramref name="position"/>.</summary>
    public void Apply(Span<float> head, int position)
    {
        var cos = new ReadOnlySpan<float>(_cos, position * _half, _half);
        var sin = new ReadOnlySpan<float>(_sin, position * _half, _half);
        var first = head[.._half];
        var second = head.Slice(_half, _half);
        for (int i = 0; i < _half; i++)
        {
            float x1 = first[i], x2 = second[i];
            first[i] = x1 * cos[i] - x2 * sin[i];
            second[i] = x2 * cos[i] + x1 * sin[i];
        }
    }

    internal static float[] InverseFrequencies(ModelConfig model)
    {
        int dim = model.HeadDim;
        var inverse = new float[dim / 2];
        for (int i = 0; i < inverse.Length; i++)
        {
            float exponent = (float)(2 * i) / dim; // transformers: arange(0, dim, 2).float() / dim, in fp32
            inverse[i] = (float)(1.0 / Math.Pow(model.RopeTheta, exponent));
        }
        if (model.RopeScaling is { } scaling && !string.Equals(scaling.Type, "default", StringComparison.OrdinalIgnoreCase))
            ApplyLlama3Scaling(inverse, scaling);
        return inverse;
    }

    /// <summary>Llama 3: long wavelengths slowed by the factor, short ones kept, a smooth blend between.</summary>
    private static void ApplyLlama3Scaling(float[] inverse, RopeScaling scaling)
    {
        if (!string.Equals(scaling.Type, "llama3", StringComparison.OrdinalIgnoreCase))
            throw new UserErrorException($"rope_scaling type '{scaling.Type}' is not supported; only 'llama3' is.");
        double lowFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFreqFactor;
        double highFreqWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFreqFactor;
        for (int i = 0; i < inverse.Length; i++)
        {
            double frequency = inverse[i];
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength > lowFreqWavelength)
            {
                inverse[i] = (float)(frequency / scaling.Factor);
            }
            else if (wavelength >= highFreqWavelength)
            {
                double smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFreqFactor)
                    / (scaling.HighFreqFactor - scaling.LowFreqFactor);
                inverse[i] = (float)((1 - smooth) * frequency / scaling.Factor + smooth * frequency);
            }
        }
    }
}
