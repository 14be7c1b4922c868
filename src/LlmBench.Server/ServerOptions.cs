namespace LlmBench.Server;

/// <summary>`llmbench serve`'s options, named as `vllm serve` names them, validated once and passed down.</summary>
public sealed record ServerOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 8000;

    /// <summary>The model name clients must send (and /v1/models lists).</summary>
    public required string ServedModelName { get; init; }

    /// <summary>Context length to enforce; null takes the engine's.</summary>
    public int? MaxModelLength { get; init; }

    public int MaxNumSeqs { get; init; } = 256;
    public int? MaxNumBatchedTokens { get; init; }
    public double GpuMemoryUtilization { get; init; } = 0.9;
    public bool EnforceEager { get; init; }

    /// <summary>When set, every /v1 request needs "Authorization: Bearer KEY".</summary>
    public string? ApiKey { get; init; }

    public string Device { get; init; } = "auto";

    /// <summary>Requests allowed to wait beyond the running batch before new ones get 503.</summary>
    public int MaxWaiting { get; init; } = 1024;

    /// <summary>Request bodies above this size get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8 * 1024 * 1024;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ServedModelName))
            throw new ArgumentException("--served-model-name must not be empty.");
        if (Port is < 0 or > 65535)
            throw new ArgumentException($"--port must be in 0–65535, got {Port}.");
        if (MaxModelLength is < 1)
            throw new ArgumentException($"--max-model-len must be at least 1, got {MaxModelLength}.");
        if (MaxNumSeqs < 1)
            throw new ArgumentException($"--max-num-seqs must be at least 1, got {MaxNumSeqs}.");
        if (MaxNumBatchedTokens is < 1)
            throw new ArgumentException($"--max-num-batched-tokens must be at least 1, got {MaxNumBatchedTokens}.");
        if (GpuMemoryUtilization is <= 0 or > 1 || double.IsNaN(GpuMemoryUtilization))
            throw new ArgumentException($"--gpu-memory-utilization must be in (0, 1], got {GpuMemoryUtilization}.");
        if (MaxWaiting < 0)
            throw new ArgumentException($"--max-waiting must be 0 or more, got {MaxWaiting}.");
        if (MaxRequestBodyBytes < 1024)
            throw new ArgumentException($"The request body limit must be at least 1 KiB, got {MaxRequestBodyBytes}.");
    }
}
