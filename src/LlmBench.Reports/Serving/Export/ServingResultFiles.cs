namespace LlmBench.Reports.Serving.Export;

/// <summary>Writes --save-result's files: the vLLM-keyed JSON and, beside it, one JSONL record per request.</summary>
public static class ServingResultFiles
{
    /// <returns>The JSON path and the JSONL path written.</returns>
    public static (string ResultPath, string RequestsPath) Save(ServingResult result, string? resultDir, string? resultFileName)
    {
        var path = ServingResultFileName.Resolve(result.Info, resultDir, resultFileName);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        using (var json = File.Create(path))
            ServingResultJson.Write(result, json);
        var requestsPath = ServingResultFileName.RequestsPath(path);
        using (var jsonl = File.Create(requestsPath))
            RequestRecordsJsonl.Write(result.Records, jsonl);
        return (path, requestsPath);
    }
}
