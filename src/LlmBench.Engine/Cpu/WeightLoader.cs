using System.Runtime.InteropServices;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Cpu;

/// <summary>Reads named tensors from an <see cref="ITensorSource"/> into CPU matrices and vectors, checking shapes.</summary>
internal sealed class WeightLoader(ITensorSource source, CpuWeightFormat format)
{
    /// <summary>Stacks the rows of <paramref name="names"/> into one matrix (fused q/k/v, fused gate/up).</summary>
    public WeightMatrix Matrix(int columns, params (string Name, int Rows)[] names)
    {
        var infos = names.Select(n => Info(n.Name, n.Rows, columns)).ToArray();
        int rows = names.Sum(n => n.Rows);
        var dtype = infos[0].DType;
        // f16 checkpoints are rare for these families; they are widened at load rather than given a kernel.
        bool packed = format == CpuWeightFormat.Bf16 && dtype == TensorDType.BF16 && infos.All(i => i.DType == dtype);
        if (packed)
        {
            var bits = new ushort[(long)rows * columns];
            long offset = 0;
            foreach (var info in infos)
            {
                var slice = bits.AsSpan((int)offset, (int)info.ElementCount);
                source.ReadRaw(info.Name, MemoryMarshal.AsBytes(slice));
                offset += info.ElementCount;
            }
            return new Bf16Matrix(bits, rows, columns);
        }
        var values = new float[(long)rows * columns];
        long at = 0;
        foreach (var info in infos)
        {
            source.ReadFloat32(info.Name, values.AsSpan((int)at, (int)info.ElementCount));
            at += info.ElementCount;
        }
        return new Float32Matrix(values, rows, columns);
    }

    /// <summary>Concatenated 1-D tensors (norm weights, fused biases) as fp32.</summary>
    public float[] Vector(params (string Name, int Length)[] names)
    {
        var values = new float[names.Sum(n => n.Length)];
        int at = 0;
        foreach (var (name, length) in names)
        {
            Info(name, length, null);
            source.ReadFloat32(name, values.AsSpan(at, length));
            at += length;
        }
        return values;
    }

    public bool Has(string name) => source.Contains(name);

    private TensorInfo Info(string name, int rows, int? columns)
    {
        if (!source.Contains(name))
            throw new UserErrorException($"the model's weights have no tensor '{name}'; the checkpoint does not match its config.json.");
        var info = source.GetInfo(name);
        long[] expected = columns is { } c ? [rows, c] : [rows];
        if (!info.Shape.SequenceEqual(expected))
            throw new UserErrorException(
                $"tensor '{name}' has shape [{string.Join(", ", info.Shape)}] but config.json implies [{string.Join(", ", expected)}].");
        return info;
    }
}
