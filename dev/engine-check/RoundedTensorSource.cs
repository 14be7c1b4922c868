using System.Runtime.InteropServices;
using LlmBench.Engine.Weights;

namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// A model's weights with the tensors a <see cref="RoundingScheme"/> applies to rounded through its format, read as
/// fp32 (so a CPU executor in fp32 sees exactly the rounded values); every other tensor as it is.
/// </summary>
internal sealed class RoundedTensorSource(ITensorSource inner, RoundingScheme scheme) : ITensorSource
{
    public IReadOnlyCollection<string> Names => inner.Names;

    public bool Contains(string name) => inner.Contains(name);

    public TensorInfo GetInfo(string name)
    {
        var info = inner.GetInfo(name);
        return scheme.Applies(name) ? info with { DType = TensorDType.F32 } : info;
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        inner.ReadFloat32(name, destination);
        if (!scheme.Applies(name))
            return;
        var shape = inner.GetInfo(name).Shape;
        int columns = (int)shape[^1];
        // Rows are independent unless blocks span several, so work in slabs of whole row blocks, one per core.
        int slab = Math.Max(scheme.BlockRows, 1);
        int rows = destination.Length / columns;
        if (scheme.BlockRows == 0)
        {
            scheme.Apply(destination, columns);
            return;
        }
        unsafe
        {
            fixed (float* start = destination)
            {
                var basePtr = (nint)start;
                Parallel.For(0, (rows + slab - 1) / slab, i =>
                {
                    int first = i * slab, count = Math.Min(slab, rows - first);
                    scheme.Apply(new Span<float>((float*)basePtr + ((long)first * columns), count * columns), columns);
                });
            }
        }
    }

    public void ReadRaw(string name, Span<byte> destination)
    {
        if (!scheme.Applies(name))
        {
            inner.ReadRaw(name, destination);
            return;
        }
        ReadFloat32(name, MemoryMarshal.Cast<byte, float>(destination));
    }

    public void Dispose()
    {
        // The inner source belongs to the loaded model.
    }
}
