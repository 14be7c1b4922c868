namespace LlmBench.Gpu.Interop.Loading;

/// <summary>
/// The file system and environment as the library search sees them. Injected so that the search order and the
/// failure message can be tested on a machine with no GPU libraries at all.
/// </summary>
public interface ILibraryProbe
{
    string? GetEnvironmentVariable(string name);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>Full paths of the sub-folders of <paramref name="parent"/> whose names match a '*' pattern; empty when it is missing.</summary>
    IEnumerable<string> EnumerateDirectories(string parent, string pattern);

    /// <summary>Full paths of the files in <paramref name="directory"/> whose names match a '*' pattern; empty when it is missing.</summary>
    IEnumerable<string> EnumerateFiles(string directory, string pattern);
}

/// <summary>The real machine.</summary>
public sealed class SystemLibraryProbe : ILibraryProbe
{
    public static readonly SystemLibraryProbe Instance = new();

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public IEnumerable<string> EnumerateDirectories(string parent, string pattern) =>
        Guard(() => Directory.Exists(parent) ? Directory.GetDirectories(parent, pattern) : []);

    public IEnumerable<string> EnumerateFiles(string directory, string pattern) =>
        Guard(() => Directory.Exists(directory) ? Directory.GetFiles(directory, pattern) : []);

    // A folder we may not read (permissions, a dangling link) is simply not a place the library can be.
    private static string[] Guard(Func<string[]> list)
    {
        try
        {
            return list();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
