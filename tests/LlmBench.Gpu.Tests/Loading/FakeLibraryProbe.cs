using System.IO.Enumeration;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Tests.Loading;

/// <summary>An in-memory file system and environment: the files given exist, their parent folders exist, nothing else.</summary>
internal sealed class FakeLibraryProbe(IEnumerable<string> files, IReadOnlyDictionary<string, string>? environment = null) : ILibraryProbe
{
    private readonly HashSet<string> _files = files.ToHashSet(StringComparer.Ordinal);

    private IEnumerable<string> Directories => _files.SelectMany(Ancestors).Distinct(StringComparer.Ordinal);

    public string? GetEnvironmentVariable(string name) => environment?.GetValueOrDefault(name);

    public bool FileExists(string path) => _files.Contains(path);

    public bool DirectoryExists(string path) => Directories.Contains(path, StringComparer.Ordinal);

    public IEnumerable<string> EnumerateDirectories(string parent, string pattern) =>
        Directories.Where(d => Parent(d) == parent && FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(d)));

    public IEnumerable<string> EnumerateFiles(string directory, string pattern) =>
        _files.Where(f => Parent(f) == directory && FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(f)));

    private static string Parent(string path) => Path.GetDirectoryName(path) ?? "/";

    private static IEnumerable<string> Ancestors(string file)
    {
        for (var dir = Path.GetDirectoryName(file); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
            yield return dir;
    }
}
