using System.Buffers.Binary;
using LlmBench.Engine.Weights;
using static LlmBench.Engine.Tests.Formats.SafetensorsTestWriter;

namespace LlmBench.Engine.Tests.Formats;

/// <summary>Truncated, corrupted and hostile files: each must be refused with a <see cref="SafetensorsFormatException"/>.</summary>
public class SafetensorsHostileHeaderTests
{
    private static readonly byte[] SixteenBytes = new byte[16];

    public static TheoryData<string, string, string> HostileHeaders => new()
    {
        { "not JSON", "{\"w\": {\"dtype\": \"F32\",", "not valid JSON" },
        { "array", "[1, 2]", "does not start with a JSON object" },
        { "entry not object", "{\"w\": 5}", "not a JSON object" },
        { "no dtype", "{\"w\": {\"shape\": [4], \"data_offsets\": [0, 16]}}", "\"dtype\"" },
        { "no shape", "{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 16]}}", "\"shape\"" },
        { "no offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4]}}", "\"data_offsets\"" },
        { "three offsets", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 8, 16]}}", "\"data_offsets\"" },
        { "unknown dtype", "{\"w\": {\"dtype\": \"X99\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "tensor w has dtype \"X99\"" },
        { "unsupported dtype", "{\"w\": {\"dtype\": \"I32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "tensor w has dtype \"I32\"" },
        { "negative dim", "{\"w\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}", "non-negative" },
        { "fractional dim", "{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 16]}}", "non-negative integer" },
        { "huge dims", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4000000000, 4000000000, 4000000000], \"data_offsets\": [0, 16]}}", "too large" },
        { "dim over int64", "{\"w\": {\"dtype\": \"F32\", \"shape\": [99999999999999999999], \"data_offsets\": [0, 16]}}", "non-negative integer" },
        { "offset past end", "{\"w\": {\"dtype\": \"F32\", \"shape\": [8], \"data_offsets\": [0, 32]}}", "outside the 16-byte data section" },
        { "huge offset", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [9223372036854775800, 9223372036854775807]}}", "outside" },
        { "begin after end", "{\"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16, 0]}}", "outside" },
        { "shape mismatch", "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 16]}}", "data_offsets span 16 bytes" },
        { "bf16 size mismatch", "{\"w\": {\"dtype\": \"BF16\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "(8 bytes)" },
        {
            "overlap",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 12]}, \"b\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [4, 16]}}",
            "tensors a and b overlap"
        },
        {
            "hole",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}}",
            "bytes 4..8"
        },
        { "trailing bytes", "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", "last 8 bytes" },
        {
            "duplicate",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}}",
            "appears twice"
        },
        { "metadata not object", "{\"__metadata__\": 3, \"w\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", "__metadata__" },
        { "deep nesting", "{\"w\": " + new string('[', 500) + new string(']', 500) + "}", "not valid JSON" },
        { "not UTF-8", "{\"w\xff\": 1}", "not valid UTF-8" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void HostileHeader_IsRefusedNamingTheFileAndProblem(string label, string header, string expectedProblem)
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File(label.Replace(' ', '-') + ".safetensors");
        var bytes = WithHeader(header, SixteenBytes);
        if (label == "not UTF-8")
            bytes[8 + header.IndexOf('\xff', StringComparison.Ordinal)] = 0xFF;
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(expectedProblem, ex.Problem, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, 0, "too short")]
    [InlineData(0L, 5, "too short")]
    [InlineData(ulong.MaxValue, 64, "over the")]
    [InlineData(1L << 40, 64, "over the")]
    [InlineData(100L, 64, "runs past the end")]
    [InlineData(0L, 8, "too short for a JSON object")]
    public void BadLengthPrefix_IsRefused(ulong headerLength, int fileLength, string expectedProblem)
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("m.safetensors");
        var bytes = new byte[fileLength];
        if (fileLength >= 8)
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));

        Assert.Contains(expectedProblem, ex.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedGoldenFile_IsRefusedAtEveryCut()
    {
        var golden = File.ReadAllBytes(ConfigTestFixtures.GoldenFile("tiny-qwen3", "model.safetensors"));
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(golden);
        using var dir = new ConfigScratchDirectory();

        foreach (var length in new[] { 1, 7, 8, 100, headerEnd - 1, headerEnd, headerEnd + 1, golden.Length / 2, golden.Length - 1 })
        {
            var path = dir.File($"cut-{length}.safetensors");
            File.WriteAllBytes(path, golden[..length]);
            Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path));
        }
    }

    /// <summary>
    /// Random byte flips in the header: each corrupted file either still reads as a valid file (the flip hit
    /// a harmless character) or is refused with a format error; nothing else may escape, and a file that
    /// opens must read every tensor inside its bounds.
    /// </summary>
    [Fact]
    public void CorruptedHeaderBytes_NeverEscapeAsAnotherError()
    {
        var values = RandomValues(64, seed: 9);
        var golden = Build(
        [
            F32("model.embed_tokens.weight", [8, 8], values),
            BF16("model.layers.0.self_attn.q_proj.weight", [4, 16], values),
            F16("model.layers.0.self_attn.q_proj.bias", [64], values),
            F32("model.norm.weight", [2, 2, 2], values[..8]),
        ], metadataJson: """{"format":"pt"}""");
        var headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(golden);
        var random = new Random(2024);
        using var dir = new ConfigScratchDirectory();
        var refused = 0;

        for (var trial = 0; trial < 300; trial++)
        {
            var bytes = (byte[])golden.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                bytes[random.Next(0, headerEnd)] = (byte)random.Next(256);
            var path = dir.File($"corrupt-{trial}.safetensors");
            File.WriteAllBytes(path, bytes);

            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (var name in file.Names)
                    file.ReadFloat32(name, new float[file.GetInfo(name).ElementCount]);
            }
            catch (SafetensorsFormatException)
            {
                refused++;
            }
        }

        Assert.InRange(refused, 150, 300);
    }

    [Fact]
    public void HeaderJsonText_IsDecodedAsUtf8()
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("m.safetensors");
        File.WriteAllBytes(path, WithHeader("{\"wé\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", SixteenBytes));

        using var file = SafetensorsFile.Open(path);

        Assert.True(file.Contains("wé"));
    }
}
