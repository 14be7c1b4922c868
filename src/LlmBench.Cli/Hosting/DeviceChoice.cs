
namespace LlmBench.Cli;

/// <summary>A parsed --device value.</summary>
internal readonly record struct DeviceChoice(DeviceKind Kind, int Ordinal)
{
    public static DeviceChoice Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "auto")
            return new(DeviceKind.Auto, 0);
        if (t == "cpu")
            return new(DeviceKind.Cpu, 0);
        if (t == "cuda")
            return new(DeviceKind.Cuda, 0);
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t.AsSpan(5), out var ordinal) && ordinal >= 0)
            return new(DeviceKind.Cuda, ordinal);
        throw new UserErrorException($"--device must be auto, cpu, cuda or cuda:N, got '{text}'.");
    }
}

internal enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}
