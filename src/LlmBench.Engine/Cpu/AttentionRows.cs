using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LlmBench.Engine.Cpu;

/// <summary>
/// The two row operations of CPU attention over one cached row of head_dim floats: a query·key dot product and
/// result += weight · value. With AVX2+FMA and a head_dim that is a multiple of 16 they are two-accumulator loops
/// inlined into the caller (a library call per 128-float row cost more than the arithmetic at long contexts);
/// otherwise <see cref="TensorPrimitives"/>.
/// </summary>
internal static unsafe class AttentionRows
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int d)
    {
        if (!MatMulKernels.IsSupported || (d & 15) != 0)
            return TensorPrimitives.Dot(new ReadOnlySpan<float>(a, d), new ReadOnlySpan<float>(b, d));
        Vector256<float> s0 = default, s1 = default;
        for (int i = 0; i < d; i += 16)
        {
            s0 = Fma.MultiplyAdd(Avx.LoadVector256(a + i), Avx.LoadVector256(b + i), s0);
            s1 = Fma.MultiplyAdd(Avx.LoadVector256(a + i + 8), Avx.LoadVector256(b + i + 8), s1);
        }
        return Vector256.Sum(Avx.Add(s0, s1));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(float* result, float* value, float weight, int d)
    {
        if (!MatMulKernels.IsSupported || (d & 15) != 0)
        {
            var r = new Span<float>(result, d);
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(value, d), weight, r, r);
            return;
        }
        var w = Vector256.Create(weight);
        for (int i = 0; i < d; i += 8)
            Avx.Store(result + i, Fma.MultiplyAdd(Avx.LoadVector256(value + i), w, Avx.LoadVector256(result + i)));
    }
}
