using System.Globalization;
using System.Text.Json;

namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// Reads the two trace formats: Mooncake's JSON Lines ({"timestamp": ms, "input_length", "output_length", "hash_ids": [...]},
/// as Mooncake and AIPerf write them; timestamp optional) and BurstGPT's CSV (Timestamp in seconds, Model, Request tokens,
/// Response tokens, …; rows with no response tokens, failed requests, are left out, as vLLM leaves them out). Timestamps
/// become seconds from the first entry. Each malformed line is one sentence naming the file and the line.
/// </summary>
internal static class TraceReaders
{
    public static List<TraceEntry> Mooncake(string path, int limit)
    {
        var entries = new List<TraceEntry>();
        double? first = null;
        var lineNumber = 0;
        foreach (var line in DatasetFile.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (entries.Count == limit)
                break;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                double? ms = root.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
                first ??= ms;
                var hashIds = root.TryGetProperty("hash_ids", out var h) && h.ValueKind == JsonValueKind.Array
                    ? h.EnumerateArray().Select(e => e.GetInt64()).ToArray()
                    : [];
                entries.Add(new TraceEntry(ms is { } v ? (v - first!.Value) / 1000.0 : null,
                    Positive(root.GetProperty("input_length").GetInt32(), path, lineNumber, "input_length"),
                    Positive(root.GetProperty("output_length").GetInt32(), path, lineNumber, "output_length"), hashIds));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new UserErrorException(
                    $"{path} line {lineNumber} is not a Mooncake trace entry ({{\"timestamp\": ms, \"input_length\": N, \"output_length\": N, \"hash_ids\": [...]}}): {ex.Message}", ex);
            }
        }

        return entries;
    }

    public static List<TraceEntry> BurstGpt(string path, int limit)
    {
        var entries = new List<TraceEntry>();
        double? first = null;
        var lineNumber = 0;
        int[]? columns = null;
        foreach (var line in DatasetFile.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (columns is null)
            {
                columns = [Column(cells, "Timestamp", path), Column(cells, "Request tokens", path), Column(cells, "Response tokens", path)];
                continue;
            }

            if (entries.Count == limit)
                break;
            if (cells.Length <= columns.Max()
                || !double.TryParse(cells[columns[0]], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                || !int.TryParse(cells[columns[1]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var input)
                || !int.TryParse(cells[columns[2]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var output))
                throw new UserErrorException($"{path} line {lineNumber} is not a BurstGPT row (Timestamp, Model, Request tokens, Response tokens, …): '{line}'.");
            if (output <= 0)
                continue;
            first ??= seconds;
            entries.Add(new TraceEntry(seconds - first.Value, Math.Max(1, input), output, []));
        }

        return entries;
    }

    private static int Column(string[] header, string name, string path)
    {
        var index = Array.FindIndex(header, h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index
            : throw new UserErrorException($"{path} is not a BurstGPT CSV: its header has no \"{name}\" column (expected Timestamp, Model, Request tokens, Response tokens, Total tokens, Log Type).");
    }

    private static int Positive(int value, string path, int line, string field) =>
        value >= 1 ? value : throw new UserErrorException($"{path} line {line}: {field} must be at least 1, got {value}.");
}
