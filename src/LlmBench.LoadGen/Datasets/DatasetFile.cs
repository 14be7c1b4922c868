using System.Text.Json;

namespace LlmBench.LoadGen.Datasets;

/// <summary>Opens dataset files and turns a missing file or malformed JSON into one sentence a person can act on.</summary>
internal static class DatasetFile
{
    public static JsonDocument ParseJson(string path)
    {
        EnsureExists(path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{path} is not valid JSON (line {ex.LineNumber + 1}: {ex.Message}).", ex);
        }
    }

    public static IEnumerable<string> ReadLines(string path)
    {
        EnsureExists(path);
        return File.ReadLines(path);
    }

    private static void EnsureExists(string path)
    {
        if (!File.Exists(path))
            throw new UserErrorException($"Dataset file {path} does not exist; check --dataset-path.");
    }
}
