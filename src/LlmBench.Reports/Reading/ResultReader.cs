using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Reading;

/// <summary>
/// Reads result files back: finds the kind from "result_kind", or, for files written before that key existed, from
/// their shape (run: schema_version and "engines" at the top; throughput and serve: an "llmbench" object; sweep:
/// "points"). Every problem is a <see cref="ResultFileException"/> with one sentence naming the file.
/// </summary>
public static class ResultReader
{
    /// <summary>Every result among <paramref name="inputs"/>: files as given, folders searched for *.json (with subfolders).</summary>
    public static IReadOnlyList<ResultDocument> ReadAll(IEnumerable<string> inputs)
    {
        var results = new List<ResultDocument>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "*.json", SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal)
                    .Select(path => Read(path, skipForeign: true))
                    .OfType<ResultDocument>()
                    .ToList();
                if (found.Count == 0)
                    throw new ResultFileException($"{input} holds no llmbench result files (*.json with a schema_version).");
                results.AddRange(found);
            }
            else
            {
                results.Add(Read(input, skipForeign: false)!);
            }
        }

        if (results.Count == 0)
            throw new ResultFileException("no result files were given.");
        return results;
    }

    public static ResultDocument Read(string path) => Read(path, skipForeign: false)!;

    /// <summary>Parses one file; with <paramref name="skipForeign"/>, JSON that is not an llmbench result gives null.</summary>
    private static ResultDocument? Read(string path, bool skipForeign)
    {
        if (!File.Exists(path))
            throw new ResultFileException($"{path} does not exist.");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            throw new ResultFileException($"{path} cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ResultFileException($"{path} cannot be read: {ex.Message}", ex);
        }

        return Parse(path, text, skipForeign);
    }

    public static ResultDocument Parse(string path, string text) => Parse(path, text, skipForeign: false)!;

    private static ResultDocument? Parse(string path, string text, bool skipForeign)
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new ResultFileException($"{path} is empty, not a result file.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var trimmed = text.TrimEnd();
            var truncated = trimmed.Length > 0 && trimmed[0] is '{' or '[' && trimmed[^1] is not '}' and not ']';
            throw new ResultFileException(truncated
                ? $"{path} is truncated: its JSON stops before the end (line {ex.LineNumber + 1})."
                : $"{path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", ex);
        }

        if (node is not JsonObject root)
            return skipForeign ? null : throw new ResultFileException($"{path} is JSON but not an llmbench result file (its top level is not an object).");
        var own = root["llmbench"] as JsonObject ?? root;
        var version = Json.Number(own, "schema_version");
        var declared = Json.Text(own, "result_kind") ?? Json.Text(root, "result_kind");
        if (version is null && declared is null)
            return skipForeign ? null : throw new ResultFileException($"{path} is JSON but not an llmbench result file (it has no schema_version).");
        if (version != ResultSchema.Version)
        {
            var shown = version is null ? "no schema_version" : $"schema_version {version}";
            throw new ResultFileException($"{path} has {shown}, and this llmbench reads schema_version {ResultSchema.Version} only.");
        }

        // A `bench serve` sweep's summary (sweep.json) sums up the point files beside it, which are the results to read.
        if (skipForeign && declared == Serving.Sweep.ServeSweepResult.ResultKind)
            return null;
        var kind = declared ?? KindByShape(root);
        if (kind is null)
            throw new ResultFileException($"{path} has a schema_version but no result_kind, and its keys match no known result (run, throughput, serve, sweep, latency).");
        if (!ResultKinds.All.Contains(kind))
            throw new ResultFileException($"{path} has result_kind \"{kind}\", which this llmbench does not know (it reads {string.Join(", ", ResultKinds.All)}).");
        return new ResultDocument(path, kind, root);
    }

    /// <summary>The kind of a file written before "result_kind" existed.</summary>
    private static string? KindByShape(JsonObject root)
    {
        if (root["llmbench"] is JsonObject)
        {
            if (root.ContainsKey("backend") || root.ContainsKey("request_throughput"))
                return ResultKinds.Serve;
            if (root.ContainsKey("elapsed_time") || root.ContainsKey("tokens_per_second"))
                return ResultKinds.Throughput;
            return null;
        }

        if (root["engines"] is JsonArray)
            return ResultKinds.Run;
        if (root["points"] is JsonArray)
            return ResultKinds.Sweep;
        return null;
    }
}
