namespace LlmBench.Gpu.Interop.Loading;

/// <summary>
/// Where a GPU library may live, in the order we look: CUDA_HOME/CUDA_PATH, /usr/local/cuda*, LD_LIBRARY_PATH, the
/// usual system folders, the system loader's own search (ldconfig), and last the NVIDIA wheels inside Python
/// environments (site-packages/nvidia/*/lib), which is where many machines with PyTorch keep CUDA 12/13 libraries.
/// </summary>
public sealed class LibrarySearch(ILibraryProbe probe)
{
    /// <summary>Folders that usually hold the driver's or a distribution's libraries.</summary>
    private static readonly string[] SystemFolders =
        ["/usr/local/nvidia/lib64", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib/wsl/lib", "/usr/lib"];

    /// <summary>Python installations and virtual environments whose site-packages may hold nvidia/*/lib.</summary>
    private static readonly string[] SitePackagesGlobs =
    [
        "/usr/local/lib/python3*/dist-packages",
        "/usr/local/lib/python3*/site-packages",
        "/usr/lib/python3/dist-packages",
        "/usr/lib/python3*/site-packages",
        "/opt/*/.venv/lib/python3*/site-packages",
        "/opt/*/venv/lib/python3*/site-packages",
        "/opt/conda/lib/python3*/site-packages",
    ];

    /// <summary>Folders to look in, most specific first, each once.</summary>
    public IReadOnlyList<string> CandidateDirectories()
    {
        var folders = new List<string>();
        foreach (var variable in new[] { "CUDA_HOME", "CUDA_PATH" })
        {
            var root = probe.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(root))
                folders.AddRange(ToolkitLibFolders(root.TrimEnd('/')));
        }

        folders.AddRange(ToolkitLibFolders("/usr/local/cuda"));
        // Versioned toolkits, newest first: cuda-13.0 before cuda-12.4.
        foreach (var toolkit in probe.EnumerateDirectories("/usr/local", "cuda-*").OrderByDescending(ToolkitVersion))
            folders.AddRange(ToolkitLibFolders(toolkit));

        folders.AddRange(SplitPathList(probe.GetEnvironmentVariable("LD_LIBRARY_PATH")));
        folders.AddRange(SystemFolders);
        return Distinct(folders);
    }

    /// <summary>nvidia/*/lib folders inside every Python environment we can find: the last resort.</summary>
    public IReadOnlyList<string> PythonWheelDirectories()
    {
        var roots = new List<string>();
        foreach (var variable in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" })
        {
            var env = probe.GetEnvironmentVariable(variable);
            if (!string.IsNullOrWhiteSpace(env))
                roots.AddRange(ExpandGlob($"{env.TrimEnd('/')}/lib/python3*/site-packages"));
        }

        foreach (var glob in SitePackagesGlobs)
            roots.AddRange(ExpandGlob(glob));
        var home = probe.GetEnvironmentVariable("HOME");
        if (!string.IsNullOrWhiteSpace(home))
            roots.AddRange(ExpandGlob($"{home.TrimEnd('/')}/.local/lib/python3*/site-packages"));

        var folders = new List<string>();
        foreach (var root in Distinct(roots))
            folders.AddRange(probe.EnumerateDirectories($"{root}/nvidia", "*").Order(StringComparer.Ordinal).Select(d => $"{d}/lib"));
        return Distinct(folders);
    }

    /// <summary>
    /// The full search plan: each entry is a path to try with dlopen, or a bare file name (handed to the system
    /// loader, which searches ldconfig's cache). Within a folder, versions go in <paramref name="versionOrder"/>.
    /// </summary>
    public IReadOnlyList<LibraryCandidate> Plan(GpuLibraryDescriptor library, IReadOnlyList<string>? versionOrder = null)
    {
        var names = library.FileNames(versionOrder);
        var plan = new List<LibraryCandidate>();
        foreach (var folder in CandidateDirectories())
            plan.AddRange(names.Select(n => new LibraryCandidate($"{folder}/{n}", IsBareName: false)));
        plan.AddRange(names.Select(n => new LibraryCandidate(n, IsBareName: true)));
        foreach (var folder in PythonWheelDirectories())
            plan.AddRange(names.Select(n => new LibraryCandidate($"{folder}/{n}", IsBareName: false)));
        return plan;
    }

    /// <summary>Files of other, unsupported versions next to where we looked (libnvrtc.so.11 when we need 12 or 13).</summary>
    public IReadOnlyList<string> UnsupportedVersionsNearby(GpuLibraryDescriptor library)
    {
        var supported = library.FileNames().ToHashSet(StringComparer.Ordinal);
        return CandidateDirectories().Concat(PythonWheelDirectories())
            .SelectMany(dir => probe.EnumerateFiles(dir, $"{library.FileStem}.*"))
            .Where(path => !supported.Contains(Path.GetFileName(path)) && IsVersionedName(Path.GetFileName(path), library.FileStem))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    public bool FileExists(string path) => probe.FileExists(path);

    private static IEnumerable<string> ToolkitLibFolders(string root) =>
        [$"{root}/lib64", $"{root}/lib", $"{root}/targets/x86_64-linux/lib", $"{root}/extras/CUPTI/lib64"];

    private static IEnumerable<string> SplitPathList(string? list) =>
        string.IsNullOrWhiteSpace(list) ? [] : list.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimEnd('/'));

    private static Version ToolkitVersion(string folder) =>
        Version.TryParse(Path.GetFileName(folder)["cuda-".Length..], out var v) ? v : new Version(0, 0);

    // "libnvrtc.so.11.2" counts; "libnvrtc.so.12.alt" or "libnvrtc-builtins.so.12" do not.
    private static bool IsVersionedName(string name, string stem) =>
        name.Length > stem.Length + 1 && name[(stem.Length + 1)..].All(c => char.IsAsciiDigit(c) || c == '.');

    /// <summary>Expands '*' in any segment of an absolute path through the probe.</summary>
    private IEnumerable<string> ExpandGlob(string pattern)
    {
        IEnumerable<string> current = ["/"];
        foreach (var segment in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = segment.Contains('*', StringComparison.Ordinal)
                ? current.SelectMany(dir => probe.EnumerateDirectories(dir, segment).Order(StringComparer.Ordinal)).ToArray()
                : current.Select(dir => dir == "/" ? $"/{segment}" : $"{dir}/{segment}").Where(probe.DirectoryExists).ToArray();
        }

        return current;
    }

    private static List<string> Distinct(IEnumerable<string> items) => items.Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>One place to try: a full path, or a bare file name for the system loader.</summary>
public readonly record struct LibraryCandidate(string Path, bool IsBareName);
