using LlmBench.Engine.Weights;
using static LlmBench.Engine.Tests.Formats.SafetensorsTestWriter;

namespace LlmBench.Engine.Tests.Formats;

public class SafetensorsFileTests
{
    [Fact]
    public void RoundTrip_EachDType_ReadsBackTheWrittenValues()
    {
        using var dir = new ConfigScratchDirectory();
        var values = RandomValues(6 * 37, seed: 11);
        var path = dir.File("model.safetensors");
        File.WriteAllBytes(path, Build(
        [
            F32("a.f32", [6, 37], values),
            F16("b.f16", [6, 37], values),
            BF16("c.bf16", [2, 3, 37], values),
        ], metadataJson: """{"format":"pt"}"""));

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(["a.f32", "b.f16", "c.bf16"], file.Names.Order(StringComparer.Ordinal));
        Assert.Equal(new TensorInfo("x", TensorDType.BF16, [2, 3, 37]).ElementCount, file.GetInfo("c.bf16").ElementCount);
        Assert.Equal([2L, 3, 37], file.GetInfo("c.bf16").Shape);
        Assert.Equal(TensorDType.F16, file.GetInfo("b.f16").DType);

        var read = new float[values.Length];
        file.ReadFloat32("a.f32", read);
        Assert.Equal(values, read);
        file.ReadFloat32("b.f16", read);
        Assert.Equal(values.Select(v => (float)(Half)v), read);
        file.ReadFloat32("c.bf16", read);
        Assert.Equal(values.Select(TruncateToBFloat16), read);
        Assert.NotEqual(values, read); // the bf16 path really narrowed: not a copy of the f32 data
    }

    [Fact]
    public void ReadRawAndGetBytes_ReturnTheStoredBytes()
    {
        using var dir = new ConfigScratchDirectory();
        var tensor = BF16("w", [5, 7], RandomValues(35, seed: 3));
        var path = dir.File("m.safetensors");
        File.WriteAllBytes(path, Build([F32("pad", [3], [1f, 2f, 3f]), tensor]));

        using var file = SafetensorsFile.Open(path);
        var raw = new byte[70];
        file.ReadRaw("w", raw);

        Assert.Equal(tensor.Bytes, raw);
        Assert.Equal(tensor.Bytes, file.GetBytes("w").ToArray());
        Assert.IsAssignableFrom<IMappedTensorSource>(file);
    }

    [Fact]
    public void ScalarAndEmptyTensors_AreValid()
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("m.safetensors");
        File.WriteAllBytes(path, Build([F32("scalar", [], [2.5f]), F32("empty", [0, 4], []), F32("v", [2], [1f, -1f])]));

        using var file = SafetensorsFile.Open(path);
        var scalar = new float[1];
        file.ReadFloat32("scalar", scalar);

        Assert.Equal(2.5f, scalar[0]);
        Assert.Equal(0, file.GetInfo("empty").ElementCount);
        file.ReadFloat32("empty", Span<float>.Empty);
    }

    [Fact]
    public void Misuse_ThrowsArgumentOrKeyErrors_NamingTheTensor()
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("m.safetensors");
        File.WriteAllBytes(path, Build([F32("w", [4], [1f, 2f, 3f, 4f])]));
        var file = SafetensorsFile.Open(path);

        Assert.Contains("w", Assert.Throws<ArgumentException>(() => file.ReadFloat32("w", new float[3])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => file.ReadRaw("w", new byte[15]));
        Assert.Contains("nope", Assert.Throws<KeyNotFoundException>(() => file.GetInfo("nope")).Message, StringComparison.Ordinal);
        Assert.False(file.Contains("nope"));

        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadFloat32("w", new float[4]));
        file.Dispose();
    }

    [Fact]
    public void MissingFile_IsAUserError()
    {
        using var dir = new ConfigScratchDirectory();
        var path = dir.File("absent.safetensors");

        var ex = Assert.ThrowsAny<UserErrorException>(() => SafetensorsFile.Open(path));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
