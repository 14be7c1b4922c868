namespace LlmBench.Engine.Tests.Formats;

/// <summary>Paths of the golden fixtures (tests/fixtures/golden, copied from transformers' output) and scratch directories.</summary>
internal static class ConfigTestFixtures
{
    public static string GoldenDirectory(string model)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "golden", model);
            if (Directory.Exists(candidate))
                return candidate;
        }

        throw new DirectoryNotFoundException($"tests/fixtures/golden/{model} not found above {AppContext.BaseDirectory}.");
    }

    public static string GoldenFile(string model, string file) => Path.Combine(GoldenDirectory(model), file);
}

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class ConfigScratchDirectory : IDisposable
{
    public ConfigScratchDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "llmbench-formats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> (creating folders) and returns the full path.</summary>
    public string Write(string relativePath, string text)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A mapped file still open on another thread's failure path; the OS cleans temp eventually.
        }
    }
}
