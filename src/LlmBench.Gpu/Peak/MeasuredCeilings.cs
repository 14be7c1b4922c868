using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmBench.Gpu.Peak;

/// <summary>
/// The ceilings `llmbench peak` measured on one GPU, kept so every later benchmark can state its fraction of the
/// memory-bandwidth floor without measuring again.
/// </summary>
public sealed record MeasuredCeilings(
    string GpuUuid,
    string GpuName,
    DateTimeOffset MeasuredAt,
    string LlmBenchVersion,
    double? CopyBandwidthBytesPerSecond,
    double? ReadBandwidthBytesPerSecond,
    IReadOnlyDictionary<string, double> PeakTflopsByDataType);

/// <summary>One JSON file per GPU UUID under a folder (default: $LLMBENCH_HOME/ceilings, see <see cref="GpuPaths"/>).</summary>
public sealed class MeasuredCeilingsStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Directory { get; } = directory;

    public static MeasuredCeilingsStore Default() => new(GpuPaths.FromEnvironment().CeilingsDirectory);

    public string PathFor(string gpuUuid) => Path.Combine(Directory, $"{Sanitize(gpuUuid)}.json");

    public void Save(MeasuredCeilings ceilings)
    {
        ArgumentNullException.ThrowIfNull(ceilings);
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(ceilings.GpuUuid);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(ceilings, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The last measurement for this GPU, or null when there is none or the file is unreadable (measure again).</summary>
    public MeasuredCeilings? TryLoad(string gpuUuid)
    {
        var path = PathFor(gpuUuid);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<MeasuredCeilings>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Measured device bandwidth (the best copy, bytes read + written per second) for the decode floor, or null if never measured.</summary>
    public double? MeasuredBandwidthBytesPerSecond(string gpuUuid) => TryLoad(gpuUuid)?.CopyBandwidthBytesPerSecond;

    private static string Sanitize(string uuid) =>
        string.Concat(uuid.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_'));
}
