using System.Security.Cryptography;

namespace LlmBench.Benchmarks.Frameworks;

/// <summary>
/// The Python worker ships inside this assembly (Resources/hf_worker.py, so it is inside the single-file build too);
/// Python needs it as a file, so it is written once per content into the cache, under a name carrying its hash.
/// </summary>
public static class WorkerScript
{
    public const string ResourceName = "LlmBench.Benchmarks.Frameworks.hf_worker.py";

    /// <summary>The script's text as shipped.</summary>
    public static byte[] Bytes()
    {
        using var stream = typeof(WorkerScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The build lost the embedded resource {ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Writes the script under <paramref name="cacheRoot"/>/workers/ when it is not there yet and returns its path.</summary>
    public static string Materialize(string cacheRoot)
    {
        var bytes = Bytes();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        var folder = Path.Combine(cacheRoot, "workers");
        var path = Path.Combine(folder, $"hf_worker-{hash}.py");
        if (File.Exists(path))
            return path;
        Directory.CreateDirectory(folder);
        var staging = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(staging, bytes);
        File.Move(staging, path, overwrite: true);
        return path;
    }
}
