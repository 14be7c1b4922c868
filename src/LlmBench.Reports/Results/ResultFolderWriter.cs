namespace LlmBench.Reports.Results;

/// <summary>
/// The one place results reach the disk: every exporter's file, named "&lt;name&gt;&lt;suffix&gt;" in one folder
/// (created on demand). Commands choose the folder and the name; the exporters choose the formats.
/// </summary>
public static class ResultFolderWriter
{
    /// <returns>The paths written, in the exporters' order.</returns>
    public static IReadOnlyList<string> Write<TResult>(TResult result, string folder, string name, IEnumerable<IResultExporter<TResult>> exporters)
    {
        if (folder.Length > 0)
            Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var exporter in exporters)
        {
            var path = Path.Combine(folder, name + exporter.Suffix);
            using (var file = File.Create(path))
                exporter.Export(result, file);
            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// Appends <paramref name="result"/> as one line of compact JSON to <paramref name="path"/> (created when missing; a
    /// newline first when the file already holds something), as `vllm bench serve --append-result` does.
    /// </summary>
    /// <returns>The path written.</returns>
    public static string AppendJsonLine<TResult>(TResult result, string path, IResultExporter<TResult> jsonExporter)
    {
        using var buffer = new MemoryStream();
        jsonExporter.Export(result, buffer);
        using var document = System.Text.Json.JsonDocument.Parse(buffer.ToArray());
        if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
        if (file.Position > 0)
            file.WriteByte((byte)'\n');
        using (var writer = new System.Text.Json.Utf8JsonWriter(file, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return path;
    }

    /// <summary>Folder and name of a result path as a user gave it ("out/tp.json" → "out", "tp"; the extension goes, the exporters add theirs).</summary>
    public static (string Folder, string Name) Split(string path) =>
        (Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
}
