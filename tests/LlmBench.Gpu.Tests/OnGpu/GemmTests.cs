using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Kernels;
using LlmBench.Gpu.Numerics;

namespace LlmBench.Gpu.Tests.OnGpu;

/// <summary>cuBLASLt against a float64 CPU reference on random inputs, with tolerances by output precision.</summary>
[Collection(GpuCollection.Name)]
public class GemmTests(GpuFixture gpu)
{
    [Theory]
    [InlineData(64, 48, 80, true)]
    [InlineData(128, 96, 264, true)]
    [InlineData(96, 64, 128, false)]
    public void Bf16_MatchesTheCpu(int m, int n, int k, bool transposeA)
    {
        var (device, _) = gpu.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsBf16, "bf16 needs compute capability 8.0");
        var error = RunAndCompare(GemmDataType.Bf16, m, n, k, transposeA, seed: (ulong)(m * n * k));
        Assert.InRange(error, 1e-6, 1e-2); // bf16 output rounding is ~2e-3; zero error would mean nothing ran
    }

    [Fact]
    public void Fp16_MatchesTheCpu()
    {
        gpu.SkipUnlessGpu();
        Assert.InRange(RunAndCompare(GemmDataType.Fp16, 80, 64, 192, transposeA: true, seed: 9), 1e-7, 2e-3);
    }

    [Fact]
    public void Fp8_MatchesTheCpu_OnTheDecodedInputs()
    {
        var (device, _) = gpu.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsFp8, "fp8 needs compute capability 8.9");
        Assert.InRange(RunAndCompare(GemmDataType.Fp8E4M3, 64, 64, 128, transposeA: true, seed: 21), 1e-6, 1e-2);
    }

    [Theory]
    [InlineData(64, 48, 128)]
    [InlineData(2048, 300, 1024)] // a 300-token prefill's q/k/v projection
    [InlineData(1024, 17, 3072)] // an odd token count over the widest input
    public void Fp8VectorScaled_AppliesOneScalePerRowOfAAndPerColumnOfB(int m, int n, int k)
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsFp8, "fp8 needs compute capability 8.9");
        using var fill = new RandomFill(compiler, device);
        using var stream = device.CreateStream();
        using var blas = CublasLtContext.Create(device);
        using var plan = GemmPlan.CreateVectorScaledFp8(blas, new GemmShape(m, n, k));
        using var a = device.Allocate<byte>((long)m * k);
        using var b = device.Allocate<byte>((long)k * n);
        using var d = device.Allocate<BFloat16>((long)m * n);
        using var aScales = device.Allocate<float>(m);
        using var bScales = device.Allocate<float>(n);
        fill.Uniform(stream, a.View.Cast<Float8E4M3>(), (ulong)m);
        fill.Uniform(stream, b.View.Cast<Float8E4M3>(), (ulong)n + 7);
        var random = new Random(m + n + k);
        // Scales over three decades, so a mode that ignored or swapped the vectors could not pass.
        var sa = Enumerable.Range(0, m).Select(_ => (float)Math.Pow(10, random.NextDouble() * 3 - 2)).ToArray();
        var sb = Enumerable.Range(0, n).Select(_ => (float)Math.Pow(10, random.NextDouble() * 3 - 2)).ToArray();
        aScales.CopyFrom(sa);
        bScales.CopyFrom(sb);
        stream.Fill32Async(d.View.Cast<byte>(), 0x7FC07FC0);
        plan.Run(stream, a.Pointer, b.Pointer, d.Pointer, aScales.Pointer, bScales.Pointer);
        stream.Synchronize();

        var av = Decode(GemmDataType.Fp8E4M3, a.ToArray());
        var bv = Decode(GemmDataType.Fp8E4M3, b.ToArray());
        var dv = d.ToArray();
        double worst = 0;
        for (var col = 0; col < n; col++)
        {
            for (var row = 0; row < m; row++)
            {
                double sum = 0, magnitude = 0;
                for (var i = 0; i < k; i++)
                {
                    sum += av[i + row * k] * bv[i + col * k];
                    magnitude += Math.Abs(av[i + row * k] * bv[i + col * k]);
                }
                double scale = (double)sa[row] * sb[col];
                var actual = dv[row + col * m].ToSingle();
                Assert.False(float.IsNaN(actual), $"D[{row},{col}] was not written");
                // One bf16 rounding of the scaled fp32 accumulator (2⁻⁸ relative) plus fp32 accumulation order.
                var error = Math.Abs(actual - scale * sum) / (scale * magnitude + 1e-30);
                worst = Math.Max(worst, error);
                Assert.True(error < 5e-3, $"D[{row},{col}] = {actual}, expected {scale * sum} (scales {sa[row]} x {sb[col]})");
            }
        }
        Assert.True(worst > 0, "every value matched exactly, which bf16 output cannot do: nothing was checked");
    }

    [Fact]
    public void Fp8VectorScaled_RunsOnlyWithItsScales()
    {
        var (device, _) = gpu.SkipUnlessGpu();
        Assert.SkipUnless(device.Info.ComputeCapability.SupportsFp8, "fp8 needs compute capability 8.9");
        using var stream = device.CreateStream();
        using var blas = CublasLtContext.Create(device);
        using var plan = GemmPlan.CreateVectorScaledFp8(blas, new GemmShape(64, 32, 64));
        Assert.True(plan.VectorScaled);
        Assert.Throws<InvalidOperationException>(() => plan.Run(stream, 0, 0, 0));
    }

    private double RunAndCompare(GemmDataType type, int m, int n, int k, bool transposeA, ulong seed)
    {
        var (device, compiler) = gpu.SkipUnlessGpu();
        using var fill = new RandomFill(compiler, device);
        using var stream = device.CreateStream();
        using var blas = CublasLtContext.Create(device);
        using var plan = GemmPlan.Create(blas, new GemmShape(m, n, k), type, transposeA);
        using var a = device.Allocate<byte>((long)m * k * type.InputBytes());
        using var b = device.Allocate<byte>((long)k * n * type.InputBytes());
        using var d = device.Allocate<byte>((long)m * n * 2);
        Fill(fill, stream, type, a.View, seed);
        Fill(fill, stream, type, b.View, seed + 1);
        stream.Fill32Async(d.View, 0x7FC07FC0); // NaN in bf16 and fp16 alike: unwritten outputs fail the check
        plan.Run(stream, a.View, b.View, d.View);
        stream.Synchronize();

        var av = Decode(type, a.ToArray());
        var bv = Decode(type, b.ToArray());
        var dv = DecodeOutput(type, d.ToArray());
        double diff = 0, norm = 0;
        for (var col = 0; col < n; col++)
        {
            for (var row = 0; row < m; row++)
            {
                double expected = 0;
                for (var i = 0; i < k; i++)
                    expected += av[transposeA ? i + row * k : row + i * m] * bv[i + col * k];
                var actual = dv[row + col * m];
                Assert.False(double.IsNaN(actual), $"D[{row},{col}] was not written");
                diff += (actual - expected) * (actual - expected);
                norm += expected * expected;
            }
        }

        return Math.Sqrt(diff / norm);
    }

    private static void Fill(RandomFill fill, CudaStream stream, GemmDataType type, DeviceSpan<byte> bytes, ulong seed)
    {
        if (type == GemmDataType.Bf16)
            fill.Uniform(stream, bytes.Cast<BFloat16>(), seed);
        else if (type == GemmDataType.Fp16)
            fill.Uniform(stream, bytes.Cast<Half>(), seed);
        else
            fill.Uniform(stream, bytes.Cast<Float8E4M3>(), seed);
    }

    private static double[] Decode(GemmDataType type, byte[] raw) => type switch
    {
        GemmDataType.Fp8E4M3 => raw.Select(x => (double)new Float8E4M3(x).ToSingle()).ToArray(),
        _ => DecodeOutput(type, raw),
    };

    private static double[] DecodeOutput(GemmDataType type, byte[] raw)
    {
        var values = new double[raw.Length / 2];
        for (var i = 0; i < values.Length; i++)
        {
            var bits = BitConverter.ToUInt16(raw, 2 * i);
            values[i] = type == GemmDataType.Fp16 ? (double)BitConverter.UInt16BitsToHalf(bits) : new BFloat16(bits).ToSingle();
        }

        return values;
    }
}
