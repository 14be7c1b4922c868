namespace LlmBench.Server;

/// <summary>
/// `llmbench serve`'s HTTP options, named as `vllm serve` names them, validated once and passed down. The engine's
/// options (--max-num-seqs, --max-model-len, ...) are not here: the engine owns them and the server asks the engine.
/// </summary>
public sealed record ServerOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;

    /// <summary>The model name clients must send (and /v1/models lists).</summary>
    public required string ServedModelName { get; init; }

    /// <summary>What the model was opened from (serve's MODEL: a directory, repo id or preset): /v1/models gives it as "root", as vLLM does, so a client can find its tokenizer; null gives the served name.</summary>
    public string? ModelRoot { get; init; }

    /// <summary>When set, every /v1 request needs "Authorization: Bearer KEY".</summary>
    public string? ApiKey { get; init; }

    /// <summary>Requests allowed to wait beyond the engine's running batch (--max-num-seqs) before new ones get 503.</summary>
    public int MaxWaiting { get; init; } = 1024;

    /// <summary>Request bodies above this size get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>A request body slower than this, after <see cref="RequestBodyGracePeriod"/>, gets 408 (Kestrel's default rate).</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public TimeSpan RequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServedModelName))
            throw new ArgumentException("--served-model-name must not be empty.");
        if (Port is < 0 or > 65535)
            throw new ArgumentException($"--port must be in 0–65535, got {Port}.");
        if (MaxWaiting < 0)
            throw new ArgumentException($"--max-waiting must be 0 or more, got {MaxWaiting}.");
        if (MinRequestBodyBytesPerSecond <= 0 || RequestBodyGracePeriod <= TimeSpan.FromSeconds(1))
            throw new ArgumentException("The request body rate must be positive and its grace period over 1 s.");
        if (MaxRequestBodyBytes < 1024)
            throw new ArgumentException($"The request body limit must be at least 1 KiB, got {MaxRequestBodyBytes}.");
    }
}
