using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace LlmBench.Engine.Weights;

/// <summary>
/// Parses and checks a safetensors header: an 8-byte little-endian length, then a JSON object mapping
/// tensor names to {dtype, shape, data_offsets} (plus an optional "__metadata__"). Every offset is
/// checked against the file before anything is read through it, so a hostile file cannot make a
/// read leave the mapping.
/// </summary>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The reference implementation refuses headers over 100 MB; real ones are a few hundred KB.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Bytes before the data section: the length prefix plus the JSON header.</summary>
    public static long ReadDataStart(ReadOnlySpan<byte> prefix, long fileLength, string path)
    {
        if (fileLength < 8)
            throw TooShort(path, fileLength);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw new SafetensorsFormatException(path, $"the header length {headerLength} is over the {MaxHeaderBytes}-byte limit (corrupted file?)");
        if ((long)headerLength > fileLength - 8)
            throw new SafetensorsFormatException(path, $"the header length {headerLength} runs past the end of the {fileLength}-byte file (truncated?)");
        if (headerLength < 2)
            throw new SafetensorsFormatException(path, $"the header length {headerLength} is too short for a JSON object");
        return 8 + (long)headerLength;
    }

    public static SafetensorsFormatException TooShort(string path, long fileLength) =>
        new(path, $"it is {fileLength} bytes long, too short for the 8-byte header length");

    public static Dictionary<string, SafetensorsEntry> Parse(ReadOnlySpan<byte> headerJson, long dataLength, string path)
    {
        if (headerJson[0] != (byte)'{')
            throw new SafetensorsFormatException(path, "the header does not start with a JSON object");

        // JsonDocument checks UTF-8 only when a string is read; check it all first so no read can fail later.
        if (!Utf8.IsValid(headerJson))
            throw new SafetensorsFormatException(path, "the header is not valid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerJson.ToArray());
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException(path, $"the header is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
            var sawMetadata = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object || sawMetadata)
                        throw new SafetensorsFormatException(path, "\"__metadata__\" must appear once, as a JSON object");
                    sawMetadata = true;
                    continue;
                }

                var entry = ParseEntry(property.Name, property.Value, dataLength, path);
                if (!entries.TryAdd(property.Name, entry))
                    throw new SafetensorsFormatException(path, $"the tensor {property.Name} appears twice in the header");
            }

            CheckCoverage(entries.Values, dataLength, path);
            return entries;
        }
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement value, long dataLength, string path)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException(path, $"the header entry of tensor {name} is not a JSON object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException(path, $"tensor {name} has no \"dtype\" string");
        var dtypeName = dtypeElement.GetString()!;
        var dtype = dtypeName switch
        {
            "F32" => TensorDType.F32,
            "F16" => TensorDType.F16,
            "BF16" => TensorDType.BF16,
            "F8_E4M3" => TensorDType.F8_E4M3,
            _ => throw new SafetensorsFormatException(path, $"tensor {name} has dtype \"{Clip(dtypeName)}\"; llmbench reads only F32, F16, BF16 and F8_E4M3 (fp8 e4m3 with block scales; not F8_E5M2 or integer-packed weights)"),
        };

        var shape = ReadNonNegativeIntegers(value, "shape", name, path, expectedCount: null);
        var offsets = ReadNonNegativeIntegers(value, "data_offsets", name, path, expectedCount: 2);
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end || end > dataLength)
            throw new SafetensorsFormatException(path, $"tensor {name} has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section");

        var info = new TensorInfo(name, dtype, shape);
        long byteLength;
        try
        {
            byteLength = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * info.BytesPerElement);
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(path, $"tensor {name} has shape [{string.Join(", ", shape)}], too large to exist");
        }

        if (byteLength != end - begin)
            throw new SafetensorsFormatException(path,
                $"tensor {name} has shape [{string.Join(", ", shape)}] of {dtypeName} ({byteLength} bytes) but data_offsets span {end - begin} bytes");
        return new SafetensorsEntry(info, begin, end);
    }

    private static long[] ReadNonNegativeIntegers(JsonElement entry, string field, string name, string path, int? expectedCount)
    {
        if (!entry.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array
            || (expectedCount is { } count && array.GetArrayLength() != count))
        {
            var what = expectedCount is { } n ? $"a list of {n} integers" : "a list of integers";
            throw new SafetensorsFormatException(path, $"tensor {name} has no \"{field}\" as {what}");
        }

        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
                throw new SafetensorsFormatException(path, $"tensor {name} has {field} {Clip(array.GetRawText())}; each must be a non-negative integer");
            values[i++] = number;
        }

        return values;
    }

    /// <summary>The format requires tensors to tile the data section exactly: no overlap, no hole, nothing after.</summary>
    private static void CheckCoverage(IEnumerable<SafetensorsEntry> entries, long dataLength, string path)
    {
        long covered = 0;
        string? previous = null;
        foreach (var entry in entries.OrderBy(e => e.DataBegin).ThenBy(e => e.DataEnd))
        {
            if (entry.DataBegin < covered)
                throw new SafetensorsFormatException(path, $"tensors {previous} and {entry.Info.Name} overlap");
            if (entry.DataBegin > covered)
                throw new SafetensorsFormatException(path, $"bytes {covered}..{entry.DataBegin} of the data section belong to no tensor");
            covered = entry.DataEnd;
            previous = entry.Info.Name;
        }

        if (covered != dataLength)
            throw new SafetensorsFormatException(path, $"the last {dataLength - covered} bytes of the data section belong to no tensor");
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
