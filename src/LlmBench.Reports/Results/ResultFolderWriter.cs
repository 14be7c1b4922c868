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

    /// <summary>Folder and name of a result path as a user gave it ("out/tp.json" → "out", "tp"; the extension goes, the exporters add theirs).</summary>
    public static (string Folder, string Name) Split(string path) =>
        (Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path));
}
