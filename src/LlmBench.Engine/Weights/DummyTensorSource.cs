using System.Buffers;
using LlmBench.Engine.Models;

namespace LlmBench.Engine.Weights;

/// <summary>
/// Seeded random weights with a model's real tensor names and shapes (vLLM's --load-format dummy), so
/// the engine runs where no checkpoint can be downloaded. Nothing is stored: each read regenerates
/// its values from (seed, tensor name, element index), stored as BF16. Values are scaled like a
/// trained model's so activations stay sane: matrices U(±√3/√fan_in) (std 1/√fan_in), norm weights
/// near 1, biases small.
/// </summary>
public sealed class DummyTensorSource : ITensorSource
{
    /// <summary>Elements per parallel work item: large enough to amortize scheduling, small enough to balance.</summary>
    private const int ChunkElements = 1 << 20;

    private readonly Dictionary<string, TensorInfo> _tensors;

    public DummyTensorSource(ModelConfig config, ulong seed)
    {
        Seed = seed;
        _tensors = ModelTensorLayout.Expected(config)
            .ToDictionary(t => t.Name, t => new TensorInfo(t.Name, TensorDType.BF16, t.Shape), StringComparer.Ordinal);
    }

    public ulong Seed { get; }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public TensorInfo GetInfo(string name) =>
        _tensors.TryGetValue(name, out var info) ? info : throw new KeyNotFoundException($"The dummy weights have no tensor named {name}.");

    public void ReadFloat32(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        TensorReads.CheckLength(info, destination.Length, info.ElementCount);
        ReadFloat32(name, 0, destination);
    }

    /// <summary>Elements <paramref name="firstElement"/>.. of the tensor, equal to the same slice of a whole read.</summary>
    public unsafe void ReadFloat32(string name, long firstElement, Span<float> destination)
    {
        var info = GetInfo(name);
        if (firstElement < 0 || firstElement + destination.Length > info.ElementCount)
            throw new ArgumentOutOfRangeException(nameof(firstElement), $"The slice runs outside tensor {name}.");

        var key = CounterUniform.Key(Seed, name);
        var (offset, halfWidth) = Distribution(info);
        fixed (float* start = destination)
        {
            var basePtr = (nint)start;
            ForEachChunk(destination.Length, (begin, count) =>
                CounterUniform.FillBFloat16Exact(key, firstElement + begin, offset, halfWidth, new Span<float>((float*)basePtr + begin, count)));
        }
    }

    public unsafe void ReadRaw(string name, Span<byte> destination)
    {
        var info = GetInfo(name);
        TensorReads.CheckLength(info, destination.Length, info.ByteLength);
        fixed (byte* start = destination)
        {
            var basePtr = (nint)start;
            ForEachChunk((int)info.ElementCount, (begin, count) =>
            {
                var buffer = ArrayPool<float>.Shared.Rent(count);
                try
                {
                    var values = buffer.AsSpan(0, count);
                    ReadFloat32(name, begin, values);
                    DTypeConversions.Float32ToBFloat16(values, new Span<ushort>((ushort*)basePtr + begin, count));
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            });
        }
    }

    /// <summary>Runs <paramref name="work"/>(begin, count) over chunks of [0, length), in parallel when there are several.</summary>
    private static void ForEachChunk(int length, Action<int, int> work)
    {
        if (length <= ChunkElements)
        {
            work(0, length);
            return;
        }

        Parallel.For(0, (length + ChunkElements - 1) / ChunkElements, chunk =>
        {
            var begin = chunk * ChunkElements;
            work(begin, Math.Min(ChunkElements, length - begin));
        });
    }

    public void Dispose()
    {
    }

    /// <summary>Center and half-width of the uniform distribution a tensor's values are drawn from.</summary>
    private static (float Offset, float HalfWidth) Distribution(TensorInfo info)
    {
        if (info.Name.EndsWith("norm.weight", StringComparison.Ordinal))
            return (1f, 0.05f);
        if (info.Name.EndsWith(".bias", StringComparison.Ordinal))
            return (0f, 0.05f);
        var fanIn = info.Shape[^1];
        return (0f, MathF.Sqrt(3f / fanIn));
    }
}
