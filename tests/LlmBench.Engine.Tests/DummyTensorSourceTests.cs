using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

public class DummyTensorSourceTests
{
    private static readonly ModelConfig Qwen3 = ModelPresets.Qwen3_0_6B.Config;

    private static float[] Read(ITensorSource source, string name)
    {
        var values = new float[source.GetInfo(name).ElementCount];
        source.ReadFloat32(name, values);
        return values;
    }

    [Fact]
    public void Qwen3Preset_HasThePublishedTensorsAndParameterCount()
    {
        using var dummy = new DummyTensorSource(Qwen3, seed: 0);

        // Qwen3-0.6B: 0.6B parameters, 0.44B of them outside the embedding (tied, so no lm_head).
        Assert.Equal(1 + (28 * 11) + 1, dummy.Names.Count);
        Assert.Equal(596_049_920L, dummy.Names.Sum(n => dummy.GetInfo(n).ElementCount));
        Assert.Equal([151936L, 1024], dummy.GetInfo("model.embed_tokens.weight").Shape);
        Assert.Equal([2048L, 1024], dummy.GetInfo("model.layers.27.self_attn.q_proj.weight").Shape);
        Assert.Equal([1024L, 2048], dummy.GetInfo("model.layers.0.self_attn.o_proj.weight").Shape);
        Assert.Equal([128L], dummy.GetInfo("model.layers.3.self_attn.k_norm.weight").Shape);
        Assert.False(dummy.Contains("lm_head.weight"));
        Assert.All(dummy.Names, n => Assert.Equal(TensorDType.BF16, dummy.GetInfo(n).DType));
    }

    [Fact]
    public void Qwen25Preset_HasBiasesAndNoQkNorm()
    {
        using var dummy = new DummyTensorSource(ModelPresets.Qwen2_5_0_5B.Config, seed: 0);

        Assert.Equal([128L], dummy.GetInfo("model.layers.0.self_attn.k_proj.bias").Shape);
        Assert.Equal([896L], dummy.GetInfo("model.layers.23.self_attn.q_proj.bias").Shape);
        Assert.False(dummy.Contains("model.layers.0.self_attn.q_norm.weight"));
        Assert.False(dummy.Contains("model.layers.0.self_attn.o_proj.bias"));
        Assert.Equal(494_032_768L, dummy.Names.Sum(n => dummy.GetInfo(n).ElementCount));
    }

    [Fact]
    public void SameSeed_SameValues_OtherSeedOrTensor_OtherValues()
    {
        const string name = "model.layers.5.mlp.up_proj.weight";
        using var a = new DummyTensorSource(Qwen3, seed: 42);
        using var b = new DummyTensorSource(Qwen3, seed: 42);
        using var c = new DummyTensorSource(Qwen3, seed: 43);

        var first = Read(a, name);

        Assert.Equal(first, Read(b, name));
        var other = Read(c, name);
        Assert.True(first.Zip(other).Count(p => p.First == p.Second) < first.Length / 100);
        var sibling = Read(a, "model.layers.5.mlp.gate_proj.weight");
        Assert.True(first.Zip(sibling).Count(p => p.First == p.Second) < first.Length / 100);
    }

    [Fact]
    public void AnySlice_EqualsTheSameSliceOfAWholeRead()
    {
        const string name = "model.layers.0.mlp.down_proj.weight";
        using var dummy = new DummyTensorSource(Qwen3, seed: 7);
        var whole = Read(dummy, name);

        foreach (var (start, length) in new[] { (0, 5), (3, 17), (1_048_570, 20), (whole.Length - 9, 9) })
        {
            var slice = new float[length];
            dummy.ReadFloat32(name, start, slice);
            Assert.Equal(whole.AsSpan(start, length).ToArray(), slice);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => dummy.ReadFloat32(name, whole.Length - 2, new float[3]));
    }

    [Fact]
    public void RawBytes_AreTheBf16OfTheFloatValues()
    {
        const string name = "model.layers.1.self_attn.v_proj.weight";
        using var dummy = new DummyTensorSource(Qwen3, seed: 1);
        var values = Read(dummy, name);
        var raw = new byte[dummy.GetInfo(name).ByteLength];

        dummy.ReadRaw(name, raw);

        for (var i = 0; i < values.Length; i++)
        {
            var widened = BitConverter.UInt32BitsToSingle((uint)BitConverter.ToUInt16(raw, 2 * i) << 16);
            Assert.Equal(values[i], widened);
        }
    }

    [Theory]
    [InlineData("model.embed_tokens.weight", 0.0, 1024)]
    [InlineData("model.layers.2.mlp.down_proj.weight", 0.0, 3072)]
    [InlineData("model.layers.2.self_attn.q_proj.weight", 0.0, 1024)]
    public void MatrixValues_HaveStdOneOverRootFanIn(string name, double expectedMean, int fanIn)
    {
        using var dummy = new DummyTensorSource(Qwen3, seed: 3);
        var values = new float[Math.Min(dummy.GetInfo(name).ElementCount, 2_000_000)];
        dummy.ReadFloat32(name, dummy.GetInfo(name).ElementCount - values.Length, values);
        var mean = values.Average(v => (double)v);
        var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        var expectedStd = 1 / Math.Sqrt(fanIn);

        Assert.InRange(mean, expectedMean - (0.01 * expectedStd), expectedMean + (0.01 * expectedStd));
        Assert.InRange(std, expectedStd * 0.99, expectedStd * 1.01);
        Assert.InRange(values.Max(), expectedStd * 1.6, expectedStd * Math.Sqrt(3) * 1.01);
        Assert.True(values.Distinct().Count() > 1000);
    }

    [Fact]
    public void NormWeightsNearOne_BiasesSmall()
    {
        using var qwen3 = new DummyTensorSource(Qwen3, seed: 5);
        using var qwen2 = new DummyTensorSource(ModelPresets.Qwen2_5_0_5B.Config, seed: 5);

        foreach (var name in new[] { "model.norm.weight", "model.layers.4.input_layernorm.weight", "model.layers.4.self_attn.q_norm.weight" })
        {
            var values = Read(qwen3, name);
            Assert.All(values, v => Assert.InRange(v, 0.94f, 1.06f));
            Assert.InRange(values.Average(), 0.99f, 1.01f);
            Assert.True(values.Distinct().Count() > 5);
        }

        var bias = Read(qwen2, "model.layers.4.self_attn.q_proj.bias");
        Assert.All(bias, v => Assert.InRange(v, -0.051f, 0.051f));
        Assert.True(bias.Count(v => v != 0) > bias.Length * 0.9);
    }

    [Fact]
    public void UntiedConfig_GetsAnLmHead()
    {
        var untied = Qwen3 with { TieWordEmbeddings = false, NumHiddenLayers = 1 };
        using var dummy = new DummyTensorSource(untied, seed: 0);

        Assert.Equal([151936L, 1024], dummy.GetInfo("lm_head.weight").Shape);
        var head = new float[4096];
        var embedding = new float[4096];
        dummy.ReadFloat32("lm_head.weight", 1000, head);
        dummy.ReadFloat32("model.embed_tokens.weight", 1000, embedding);
        Assert.True(head.Zip(embedding).Count(p => p.First == p.Second) < 100);
    }
}
