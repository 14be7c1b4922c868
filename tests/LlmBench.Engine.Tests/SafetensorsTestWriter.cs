using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using LlmBench.Engine.Weights;

namespace LlmBench.Engine.Tests.Formats;

/// <summary>A tensor to write: its name, dtype, shape and stored bytes.</summary>
internal sealed record TestTensor(string Name, string DType, long[] Shape, byte[] Bytes);

/// <summary>
/// Writes safetensors files the way the format specifies (8-byte LE length, JSON header, data), written
/// independently of the reader under test, plus helpers to hand-craft broken ones.
/// </summary>
internal static class SafetensorsTestWriter
{
    public static byte[] Build(IReadOnlyList<TestTensor> tensors, string? metadataJson = null)
    {
        var header = new StringBuilder("{");
        if (metadataJson is not null)
            header.Append("\"__metadata__\":").Append(metadataJson).Append(',');
        long offset = 0;
        foreach (var t in tensors)
        {
            header.Append(CultureInfo.InvariantCulture,
                $"\"{t.Name}\":{{\"dtype\":\"{t.DType}\",\"shape\":[{string.Join(",", t.Shape)}],\"data_offsets\":[{offset},{offset + t.Bytes.Length}]}},");
            offset += t.Bytes.Length;
        }

        if (header[^1] == ',')
            header.Length--;
        header.Append('}');
        return WithHeader(header.ToString(), [.. tensors.SelectMany(t => t.Bytes)]);
    }

    /// <summary>A file with <paramref name="headerJson"/> as its header, padded to 8 bytes with spaces as writers do.</summary>
    public static byte[] WithHeader(string headerJson, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(headerJson);
        var padded = (json.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }

    /// <summary>The tensors of an existing file, read with the reader (used to re-shard or re-type fixtures).</summary>
    public static List<TestTensor> ReadAll(SafetensorsFile file) =>
        [.. file.Names.Order(StringComparer.Ordinal).Select(name =>
        {
            var info = file.GetInfo(name);
            return new TestTensor(name, info.DType.ToString(), info.Shape, file.GetBytes(name).ToArray());
        })];

    public static TestTensor F32(string name, long[] shape, float[] values) =>
        new(name, "F32", shape, [.. values.SelectMany(BitConverter.GetBytes)]);

    public static TestTensor F16(string name, long[] shape, float[] values) =>
        new(name, "F16", shape, [.. values.SelectMany(v => BitConverter.GetBytes((Half)v))]);

    /// <summary>bf16 by truncation (an exact bf16 value whatever the input), written without the reader's rounding code.</summary>
    public static TestTensor BF16(string name, long[] shape, float[] values) =>
        new(name, "BF16", shape, [.. values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)))]);

    public static float TruncateToBFloat16(float value) =>
        BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(value) & 0xFFFF_0000);

    public static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 8) - 4))];
    }
}
