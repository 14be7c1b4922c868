namespace LlmBench.Engine.Loading;

/// <summary>
/// The environment variables that decide where the Hugging Face cache lives, read in this one place
/// (<see cref="FromProcess"/>) and passed down, so tests can point at a cache of their own.
/// </summary>
/// <param name="HfHubCache">HF_HUB_CACHE (or the older HUGGINGFACE_HUB_CACHE): the hub directory itself.</param>
/// <param name="HfHome">HF_HOME: the cache lives in $HF_HOME/hub.</param>
/// <param name="XdgCacheHome">XDG_CACHE_HOME: HF_HOME defaults to $XDG_CACHE_HOME/huggingface.</param>
/// <param name="UserHome">The home directory: the last default is ~/.cache/huggingface/hub.</param>
public sealed record HuggingFaceEnvironment(string? HfHubCache, string? HfHome, string? XdgCacheHome, string? UserHome)
{
    public static HuggingFaceEnvironment FromProcess() => new(
        Variable("HF_HUB_CACHE") ?? Variable("HUGGINGFACE_HUB_CACHE"),
        Variable("HF_HOME"),
        Variable("XDG_CACHE_HOME"),
        Variable("HOME") ?? NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)));

    /// <summary>A cache at <paramref name="hfHome"/>/hub, as HF_HOME=<paramref name="hfHome"/> gives.</summary>
    public static HuggingFaceEnvironment WithHfHome(string hfHome) => new(null, hfHome, null, null);

    /// <summary>The hub directory holding models--Org--Name folders, the way huggingface_hub resolves it; null when nothing says.</summary>
    public string? HubCacheDirectory =>
        HfHubCache
        ?? (HfHome is not null ? Path.Combine(HfHome, "hub") : null)
        ?? (XdgCacheHome is not null ? Path.Combine(XdgCacheHome, "huggingface", "hub") : null)
        ?? (UserHome is not null ? Path.Combine(UserHome, ".cache", "huggingface", "hub") : null);

    private static string? Variable(string name) => NullIfEmpty(Environment.GetEnvironmentVariable(name));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
