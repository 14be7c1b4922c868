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
