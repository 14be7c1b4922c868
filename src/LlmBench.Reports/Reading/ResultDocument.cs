using System.Text.Json.Nodes;

namespace LlmBench.Reports.Reading;

/// <summary>
/// One result file as read back: its kind ("run", "throughput", "serve", "sweep", "latency"), its JSON, and where
/// "our" keys live (the top level for run/sweep/latency, the "llmbench" object for throughput and serve).
/// </summary>
public sealed record ResultDocument(string Path, string Kind, JsonObject Root)
{
    /// <summary>The object with schema_version, configuration, platform, …: "llmbench" for vLLM-shaped files, else the root.</summary>
    public JsonObject Own => Root["llmbench"] as JsonObject ?? Root;

    /// <summary>The file name without ".json", the label a report and a comparison show for it.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The folder and the name ("2025-01-01-h200/result") where two files share a name.</summary>
    public string QualifiedName
    {
        get
        {
            var folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path)) ?? "");
            return folder.Length == 0 ? Name : $"{folder}/{Name}";
        }
    }

    public JsonObject? Configuration => Own["configuration"] as JsonObject;

    public JsonObject? Platform => Own["platform"] as JsonObject ?? (Root["platform"] as JsonObject);
}
