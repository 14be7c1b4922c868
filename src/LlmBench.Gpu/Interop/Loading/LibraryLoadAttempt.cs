namespace LlmBench.Gpu.Interop.Loading;

/// <summary>
/// Walks a search plan and opens the first candidate that loads. Everything it tried goes into the failure
/// message, so a person sees exactly where we looked. The open function is injected (dlopen in production).
/// </summary>
public sealed class LibraryLoadAttempt(LibrarySearch search, Func<string, LibraryOpenResult> open)
{
    public LibraryLoadOutcome Run(GpuLibraryDescriptor library, IReadOnlyList<string>? versionOrder = null)
    {
        var tried = new List<string>();
        var loadErrors = new List<string>();
        foreach (var candidate in search.Plan(library, versionOrder))
        {
            if (!candidate.IsBareName && !search.FileExists(candidate.Path))
            {
                tried.Add(candidate.Path);
                continue;
            }

            var result = open(candidate.Path);
            if (result.Handle != 0)
                return new LibraryLoadOutcome(result.Handle, candidate.Path, null);
            tried.Add(candidate.IsBareName ? $"{candidate.Path} (system loader)" : candidate.Path);
            if (!candidate.IsBareName || !IsPlainNotFound(result.Error))
                loadErrors.Add($"{candidate.Path}: {result.Error}");
        }

        return new LibraryLoadOutcome(0, null, FailureMessage(library, tried, loadErrors, search.UnsupportedVersionsNearby(library)));
    }

    public static string FailureMessage(
        GpuLibraryDescriptor library, IReadOnlyList<string> tried, IReadOnlyList<string> loadErrors, IReadOnlyList<string> unsupported)
    {
        var names = string.Join(" or ", library.FileNames());
        var message = $"{char.ToUpperInvariant(library.Purpose[0])}{library.Purpose[1..]} ({names}) could not be loaded: {library.InstallHint}.";
        if (unsupported.Count > 0)
            message += $" Found only unsupported versions: {string.Join(", ", unsupported)} (LlmBench needs {names}).";
        if (loadErrors.Count > 0)
            message += $" Found but failed to load: {string.Join("; ", loadErrors)}.";
        return message + $" Tried: {string.Join(", ", tried)}.";
    }

    // dlopen of a bare name that simply is not installed says "cannot open shared object file"; that is not news.
    private static bool IsPlainNotFound(string? error) =>
        error is null || error.Contains("cannot open shared object file", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What one dlopen gave: a handle, or zero and the loader's error text.</summary>
public readonly record struct LibraryOpenResult(nint Handle, string? Error);

/// <summary>The loaded handle and path, or the message saying everything that was tried.</summary>
public sealed record LibraryLoadOutcome(nint Handle, string? Path, string? FailureMessage);
