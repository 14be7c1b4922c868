using LlmBench.Engine.Cpu;
using LlmBench.Engine.Tests.Support;

namespace LlmBench.Engine.Tests.Cpu;

public class KernelTests
{
    [Fact]
    public void Bf16Widening_EqualsTheScalarShift_AtEveryLength()
    {
        var random = new Random(3);
        for (int length = 0; length < 80; length++)
        {
            var bits = Enumerable.Range(0, length).Select(_ => (ushort)random.Next(0x0080, 0x7F00)).ToArray();
            var widened = new float[length];
            Widening.Bf16ToSingle(bits, widened);
            for (int i = 0; i < length; i++)
                Assert.Equal(BitConverter.Int32BitsToSingle(bits[i] << 16), widened[i]);
        }
    }

    [Fact]
    public void RmsNorm_ScalesByTheRootMeanSquareThenTheWeight()
    {
        float[] x = [1, 2, 3, 4, -2, 0.5f];
        float[] weight = [1, 1, 2, 0.5f, 3, -1];
        var y = new float[12];
        float[] twoRows = [.. x, .. x.Select(v => v * 10)];

        Kernels.RmsNorm(twoRows, weight, 1e-6f, y, 2, 6);

        double rms = Math.Sqrt(x.Sum(v => (double)v * v) / 6 + 1e-6);
        double rms10 = Math.Sqrt(x.Sum(v => 100.0 * v * v) / 6 + 1e-6);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(x[i] / rms * weight[i], y[i], 5);
            Assert.Equal(10 * x[i] / rms10 * weight[i], y[6 + i], 5);
        }
    }

    [Fact]
    public void SiluMul_IsSiluOfGateTimesUp()
    {
        float[] gateUp = [-3, -0.5f, 0.25f, 4, 2, -1, 0.5f, 3];
        var act = new float[4];
        Kernels.SiluMul(gateUp, act, 1, 4);
        for (int i = 0; i < 4; i++)
            Assert.Equal(gateUp[i] / (1 + Math.Exp(-gateUp[i])) * gateUp[4 + i], act[i], 5);
    }

    [Theory]
    [MemberData(nameof(TinyModels.Families), MemberType = typeof(TinyModels))]
    public void RopeInverseFrequencies_FollowTransformers(string family)
    {
        var model = TinyModels.ByName(family);
        var engine = RotaryEmbedding.InverseFrequencies(model);
        var reference = ReferenceForward.InverseFrequencies(model);
        for (int i = 0; i < engine.Length; i++)
            Assert.Equal(reference[i], engine[i], reference[i] * 1e-6);
        if (model.RopeScaling is not null)
        {
            // The lowest frequency's wavelength exceeds 64 / 1 tokens: divided by the factor 8.
            Assert.Equal(1.0 / Math.Pow(model.RopeTheta, (model.HeadDim - 2.0) / model.HeadDim) / 8, engine[^1], engine[^1] * 1e-6);
            Assert.Equal(1.0, engine[0], 1e-9); // the highest frequency is kept
        }
    }

    [Fact]
    public void Rope_RotatesPairsHalfAHeadApart()
    {
        var model = TinyModels.Qwen3();
        var rope = new RotaryEmbedding(model, 16);
        var inv = RotaryEmbedding.InverseFrequencies(model);
        var head = Enumerable.Range(1, model.HeadDim).Select(i => (float)i).ToArray();
        var original = head.ToArray();
        int half = model.HeadDim / 2;

        rope.Apply(head, 7);

        for (int i = 0; i < half; i++)
        {
            double angle = 7 * (double)inv[i];
            Assert.Equal(original[i] * Math.Cos(angle) - original[i + half] * Math.Sin(angle), head[i], 4);
            Assert.Equal(original[i + half] * Math.Cos(angle) + original[i] * Math.Sin(angle), head[i + half], 4);
        }
    }
}
