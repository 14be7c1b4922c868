namespace LlmBench.Benchmarks.Workloads;

/// <summary>
/// The request stream of the `standard` workload (docs/WORKLOADS.md; the `llmbench run` score): an endless,
/// seeded sequence of requests, each with input length U[100, 1024], output length U[100, 1024] and
/// random token ids in [0, 10000), drawn with the same generator as <see cref="NanoWorkload"/> so a
/// run is reproducible request for request.
/// </summary>
public sealed class StandardWorkload
{
    public const int MinLength = 100;
    public const int MaxLength = 1024;
    public const int MaxTokenId = 10000;

    private readonly PythonRandom _random;

    public StandardWorkload(ulong seed = 0) => _random = new PythonRandom(seed);

    /// <summary>The next request of the stream.</summary>
    public WorkloadRequest Next()
    {
        var prompt = new int[_random.RandInt(MinLength, MaxLength)];
        for (int t = 0; t < prompt.Length; t++) prompt[t] = _random.RandInt(0, MaxTokenId);
        return new WorkloadRequest(prompt, _random.RandInt(MinLength, MaxLength));
    }
}
