using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmBench.Engine.Weights;

/// <summary>
/// Writes the tensors of an <see cref="ITensorSource"/> as one safetensors file, bytes as stored (the source's
/// dtype): an 8-byte little-endian header length, the JSON header padded with spaces to 8 bytes, then the data in
/// name order. One tensor is in memory at a time.
/// </summary>
public static class SafetensorsWriter
{
    public static void Write(ITensorSource source, string path)
    {
        var names = source.Names.Order(StringComparer.Ordinal).ToArray();
        var header = new JsonObject { ["__metadata__"] = new JsonObject { ["format"] = "pt" } };
        long offset = 0;
        foreach (var name in names)
        {
            var info = source.GetInfo(name);
            header[name] = new JsonObject
            {
                ["dtype"] = info.DType.ToString(),
                ["shape"] = new JsonArray(info.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + info.ByteLength),
            };
            offset += info.ByteLength;
        }

        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(json);
        for (int i = json.Length; i < padded; i++)
            file.WriteByte((byte)' ');
        foreach (var name in names)
        {
            var info = source.GetInfo(name);
            if (info.ByteLength > Array.MaxLength)
                throw new NotSupportedException($"Tensor {name} has {info.ByteLength} bytes, more than one write buffer holds.");
            var buffer = ArrayPool<byte>.Shared.Rent((int)info.ByteLength);
            try
            {
                var bytes = buffer.AsSpan(0, (int)info.ByteLength);
                source.ReadRaw(name, bytes);
                file.Write(bytes);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
