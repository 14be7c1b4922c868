using LlmBench.Gpu.Numerics;
using LlmBench.Kernels.Tests.Reference;
using LlmBench.Kernels.Tests.Support;

namespace LlmBench.Kernels.Tests.OnGpu;

[Collection(GpuCollection.Name)]
public class QkNormRopeGpuTests(GpuFixture fixture)
{
    private const float Eps = 1e-6f;
    private const int BlockSize = 16;

    [Theory]
    [InlineData(128, 16, 8, true, false, 1e6, 1)]     // Qwen3-0.6B
    [InlineData(128, 16, 8, true, false, 1e6, 1500)]
    [InlineData(64, 14, 2, false, true, 1e6, 17)]     // Qwen2-0.5B: biases, no q/k norm
    [InlineData(64, 8, 8, false, false, 5e5, 333)]    // Llama-style, GQA 1
    [InlineData(32, 4, 2, true, true, 1e4, 65)]
    public void Run_NormsRotatesAndStoresKvAtEachSlot(int headDim, int numQ, int numKv, bool qkNorm, bool bias, double theta, int tokens) =>
        RunCase(fixture.SkipUnlessGpu(), headDim, numQ, numKv, qkNorm, bias, theta, tokens, fp8Scales: null);

    /// <summary>An fp8 cache gets exactly e4m3(x / scale) of the kernel's own k and v rows, and the calibration maxima are
    /// the largest |k| and |v| stored.</summary>
    [Theory]
    [InlineData(128, 16, 8, true, false, 1e6, 1500)]
    [InlineData(64, 14, 2, false, true, 1e6, 17)]
    [InlineData(32, 4, 2, true, true, 1e4, 65)]
    public void Run_StoresE4m3OfKvAtEachSlot_AndRecordsTheirMaxima(int headDim, int numQ, int numKv, bool qkNorm, bool bias, double theta, int tokens) =>
        RunCase(fixture.SkipUnlessFp8(), headDim, numQ, numKv, qkNorm, bias, theta, tokens, fp8Scales: (0.011f, 0.023f));

    private void RunCase(Gpu gpu, int headDim, int numQ, int numKv, bool qkNorm, bool bias, double theta, int tokens, (float K, float V)? fp8Scales)
    {
        var shapes = new KernelShapes
        {
            HiddenSize = 1024, IntermediateSize = 1024, NumQHeads = numQ, NumKvHeads = numKv, HeadDim = headDim,
            BlockSize = BlockSize, QkNorm = qkNorm, QkvBias = bias, KvCacheFp8 = fp8Scales is not null,
        };
        var kernel = fixture.Family(shapes.ToString(), c => new QkNormRopeKernel(c, shapes));
        var layout = new QkvLayout(numQ, numKv, headDim);
        var data = new SeededData(tokens * 31 + headDim);
        var numBlocks = (tokens + BlockSize - 1) / BlockSize + 3;
        var slots = data.Permutation(numBlocks * BlockSize)[..tokens];
        for (var t = 5; t < tokens; t += 7)
            slots[t] = -1; // padding rows store nothing
        var inputs = new QkNormRopeInputs(
            layout, data.Bf16Values((long)tokens * layout.RowWidth, scale: 2.0),
            Enumerable.Range(0, tokens).Select(_ => data.Next(40_000)).ToArray(), slots,
            RopeReference.InverseFrequencies(headDim, theta),
            qkNorm ? data.Bf16Values(headDim, 0.3, 1.0) : null, qkNorm ? data.Bf16Values(headDim, 0.3, 1.0) : null,
            bias ? data.Bf16Values(layout.RowWidth, 0.5) : null, Eps);
        var cacheLayout = new PagedKvLayout(numBlocks, numKv, BlockSize, headDim);
        var expectedK = new float[cacheLayout.Elements];
        var expectedV = new float[cacheLayout.Elements];
        Array.Fill(expectedK, float.NaN);
        Array.Fill(expectedV, float.NaN);
        var expected = QkNormRopeReference.Apply(inputs, cacheLayout, expectedK, expectedV);

        using var qkv = gpu.UploadBf16(inputs.Qkv);
        using var positions = gpu.Upload(inputs.Positions);
        using var deviceSlots = gpu.Upload(slots);
        using var frequencies = gpu.Upload(inputs.InverseFrequencies);
        using var qNorm = gpu.UploadBf16(inputs.QNormWeight ?? [1f]);
        using var kNorm = gpu.UploadBf16(inputs.KNormWeight ?? [1f]);
        using var deviceBias = gpu.UploadBf16(inputs.Bias ?? [1f]);
        var elementBytes = shapes.KvCacheElementBytes;
        using var kCache = gpu.Poisoned<byte>(cacheLayout.Elements * elementBytes);
        using var vCache = gpu.Poisoned<byte>(cacheLayout.Elements * elementBytes);
        using var scales = gpu.Upload(fp8Scales is { } s ? new[] { s.K, s.V } : [1f, 1f]);
        using var maxima = gpu.Upload(new float[2]);

        kernel.Run(gpu.Stream, qkv, positions, deviceSlots, frequencies, qkNorm ? qNorm.View : default, qkNorm ? kNorm.View : default,
            bias ? deviceBias.View : default, new KvCacheLayer(kCache, vCache, scales), maxima, tokens, Eps);

        var name = $"qk_norm_rope D={headDim} {numQ}/{numKv} norm={qkNorm} bias={bias} T={tokens}";
        var got = gpu.DownloadBf16(qkv);
        var (gotQk, expectedQk, gotV, expectedV2) = SplitQkAndV(layout, got, expected);
        Comparison.Of(name + " q,k", gotQk, expectedQk).AssertWithin(Tolerance.Bf16Output);
        Assert.Equal(expectedV2, gotV); // v only gets its bias: one rounding, bit-exact
        var (cachedK, cachedV) = CachedRows(layout, cacheLayout, slots, got);
        if (fp8Scales is { } fp8)
        {
            Assert.Equal(Fp8KvCache.Quantize(cachedK, fp8.K), gpu.Download(kCache)); // NaN poison quantizes to 0xFF, as unwritten bytes stay
            Assert.Equal(Fp8KvCache.Quantize(cachedV, fp8.V), gpu.Download(vCache));
        }
        else
        {
            Assert.Equal(cachedK, Bf16Values(gpu.Download(kCache)));
            Assert.Equal(cachedV, Bf16Values(gpu.Download(vCache)));
        }
        float AbsMax(float[] values) => values.Where(v => !float.IsNaN(v)).Select(MathF.Abs).DefaultIfEmpty(0f).Max();
        Assert.Equal(new[] { AbsMax(cachedK), AbsMax(cachedV) }, gpu.Download(maxima));
    }

    private static float[] Bf16Values(byte[] bytes) =>
        Bf16.FromBits(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes));

    private static (float[] GotQk, float[] ExpectedQk, float[] GotV, float[] ExpectedV) SplitQkAndV(QkvLayout layout, float[] got, float[] expected)
    {
        var qkWidth = (layout.NumQHeads + layout.NumKvHeads) * layout.HeadDim;
        var vWidth = layout.NumKvHeads * layout.HeadDim;
        var tokens = got.Length / layout.RowWidth;
        float[] gotQk = new float[tokens * qkWidth], expectedQk = new float[tokens * qkWidth];
        float[] gotV = new float[tokens * vWidth], expectedV = new float[tokens * vWidth];
        for (var t = 0; t < tokens; t++)
        {
            Array.Copy(got, t * layout.RowWidth, gotQk, t * qkWidth, qkWidth);
            Array.Copy(expected, t * layout.RowWidth, expectedQk, t * qkWidth, qkWidth);
            Array.Copy(got, t * layout.RowWidth + qkWidth, gotV, t * vWidth, vWidth);
            Array.Copy(expected, t * layout.RowWidth + qkWidth, expectedV, t * vWidth, vWidth);
        }
        return (gotQk, expectedQk, gotV, expectedV);
    }

    /// <summary>What the cache should hold: at every slot in use the kernel's own k and v rows; NaN (the poison) elsewhere.</summary>
    private static (float[] K, float[] V) CachedRows(QkvLayout layout, PagedKvLayout cacheLayout, int[] slots, float[] qkv)
    {
        var expectedK = new float[cacheLayout.Elements];
        var expectedV = new float[cacheLayout.Elements];
        Array.Fill(expectedK, float.NaN);
        Array.Fill(expectedV, float.NaN);
        for (var t = 0; t < slots.Length; t++)
        {
            if (slots[t] < 0)
                continue;
            for (var h = 0; h < layout.NumKvHeads; h++)
            {
                var at = cacheLayout.Offset(slots[t], h);
                Array.Copy(qkv, t * layout.RowWidth + layout.KOffset(h), expectedK, at, layout.HeadDim);
                Array.Copy(qkv, t * layout.RowWidth + layout.VOffset(h), expectedV, at, layout.HeadDim);
            }
        }
        return (expectedK, expectedV);
    }
}
