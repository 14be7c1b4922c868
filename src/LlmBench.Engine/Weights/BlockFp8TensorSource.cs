using System.Runtime.InteropServices;

namespace LlmBench.Engine.Weights;

/// <summary>
/// A block-scaled fp8 checkpoint seen as an unquantized one. Each F8_E4M3 tensor "x.weight" [rows, columns] comes with
/// "x.weight_scale_inv" [ceil(rows / blockRows), ceil(columns / blockColumns)] (F32, BF16 or F16), and reads as the F32
/// tensor w[r, c] = e4m3(x.weight[r, c]) · scale_inv[r / blockRows, c / blockColumns], one fp32 multiply per element.
/// The scale tensors are consumed (not listed); tensors of other dtypes pass through unchanged. Everything is checked
/// when the source is made, so a read cannot fail on a missing or misshapen scale.
/// </summary>
public sealed class BlockFp8TensorSource : ITensorSource
{
    public const string ScaleSuffix = "_scale_inv";

    private readonly ITensorSource _inner;
    private readonly int _blockRows;
    private readonly int _blockColumns;
    private readonly Dictionary<string, TensorInfo> _dequantized = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names;

    /// <param name="description">Names the checkpoint in errors (its weights file).</param>
    public BlockFp8TensorSource(ITensorSource inner, int blockRows, int blockColumns, string description)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockColumns);
        (_inner, _blockRows, _blockColumns) = (inner, blockRows, blockColumns);
        foreach (var name in inner.Names)
        {
            var info = inner.GetInfo(name);
            if (info.DType == TensorDType.F8_E4M3)
                _dequantized[name] = CheckScaled(info, description);
            else if (name.EndsWith(ScaleSuffix, StringComparison.Ordinal) && !IsFp8(inner, name[..^ScaleSuffix.Length]))
                throw new UserErrorException($"{description}: tensor {name} scales {name[..^ScaleSuffix.Length]}, which is not an F8_E4M3 tensor of this checkpoint.");
        }

        _names = new HashSet<string>(inner.Names.Where(n => !(n.EndsWith(ScaleSuffix, StringComparison.Ordinal) && _dequantized.ContainsKey(n[..^ScaleSuffix.Length]))), StringComparer.Ordinal);
    }

    /// <summary>The scale grid's shape for a [rows, columns] weight: ceil(rows / blockRows) × ceil(columns / blockColumns).</summary>
    public static long[] ScaleShape(long rows, long columns, int blockRows, int blockColumns) =>
        [(rows + blockRows - 1) / blockRows, (columns + blockColumns - 1) / blockColumns];

    /// <summary>The fp8 tensors this source dequantizes (their names as the engine reads them).</summary>
    public IReadOnlyCollection<string> Dequantized => _dequantized.Keys;

    public IReadOnlyCollection<string> Names => _names;

    public bool Contains(string name) => _names.Contains(name);

    public TensorInfo GetInfo(string name) =>
        _dequantized.TryGetValue(name, out var info) ? info : Contains(name) ? _inner.GetInfo(name) : throw new KeyNotFoundException($"no tensor '{name}'.");

    public void ReadFloat32(string name, Span<float> destination)
    {
        if (!_dequantized.TryGetValue(name, out var info))
        {
            GetInfo(name);
            _inner.ReadFloat32(name, destination);
            return;
        }

        TensorReads.CheckLength(info, destination.Length, info.ElementCount);
        Dequantize(info, destination);
    }

    /// <summary>A dequantized tensor's bytes are its fp32 values (its info says F32); other tensors' are as stored.</summary>
    public void ReadRaw(string name, Span<byte> destination)
    {
        if (!_dequantized.TryGetValue(name, out var info))
        {
            GetInfo(name);
            _inner.ReadRaw(name, destination);
            return;
        }

        TensorReads.CheckLength(info, destination.Length, info.ByteLength);
        Dequantize(info, MemoryMarshal.Cast<byte, float>(destination));
    }

    public void Dispose() => _inner.Dispose();

    private void Dequantize(TensorInfo info, Span<float> destination)
    {
        int rows = (int)info.Shape[0], columns = (int)info.Shape[1];
        var codes = new byte[(long)rows * columns];
        _inner.ReadRaw(info.Name, codes);
        var scaleName = info.Name + ScaleSuffix;
        int scaleColumns = (int)_inner.GetInfo(scaleName).Shape[1];
        var scales = new float[_inner.GetInfo(scaleName).ElementCount];
        _inner.ReadFloat32(scaleName, scales);
        Float8E4M3.Decode(codes, destination);
        for (int r = 0; r < rows; r++)
        {
            var row = destination.Slice(r * columns, columns);
            var rowScales = scales.AsSpan((r / _blockRows) * scaleColumns, scaleColumns);
            for (int c = 0; c < columns; c++)
                row[c] *= rowScales[c / _blockColumns];
        }
    }

    private TensorInfo CheckScaled(TensorInfo info, string description)
    {
        if (info.Shape.Length != 2)
            throw new UserErrorException(
                $"{description}: tensor {info.Name} is F8_E4M3 with shape [{string.Join(", ", info.Shape)}]; llmbench dequantizes only 2-D fp8 weights with block scales.");
        if (info.ElementCount > Array.MaxLength / sizeof(float))
            throw new UserErrorException($"{description}: tensor {info.Name} has {info.ElementCount:N0} elements, too many to dequantize in one array.");
        var scaleName = info.Name + ScaleSuffix;
        if (!_inner.Contains(scaleName))
            throw new UserErrorException($"{description}: the F8_E4M3 tensor {info.Name} has no {scaleName} tensor of block scales.");
        var scale = _inner.GetInfo(scaleName);
        if (scale.DType is not (TensorDType.F32 or TensorDType.BF16 or TensorDType.F16))
            throw new UserErrorException($"{description}: tensor {scaleName} is {scale.DType}; block scales must be F32, BF16 or F16.");
        var expected = ScaleShape(info.Shape[0], info.Shape[1], _blockRows, _blockColumns);
        if (!scale.Shape.AsSpan().SequenceEqual(expected))
            throw new UserErrorException(
                $"{description}: tensor {scaleName} has shape [{string.Join(", ", scale.Shape)}], but {info.Name} [{string.Join(", ", info.Shape)}] in blocks of {_blockRows}×{_blockColumns} needs [{string.Join(", ", expected)}].");
        return new TensorInfo(info.Name, TensorDType.F32, info.Shape);
    }

    private static bool IsFp8(ITensorSource source, string name) => source.Contains(name) && source.GetInfo(name).DType == TensorDType.F8_E4M3;
}
