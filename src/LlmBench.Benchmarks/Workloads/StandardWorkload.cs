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
    private readonly LengthRange _input;
    private readonly LengthRange _output;

    /// <param name="input">Prompt lengths; the standard's U[100, 1024] unless a CPU run chose shorter ones.</param>
    /// <param name="output">Output lengths; likewise.</param>
    public StandardWorkload(ulong seed = 0, LengthRange? input = null, LengthRange? output = null)
    {
        _random = new PythonRandom(seed);
        _input = input ?? LengthRange.Standard;
        _output = output ?? LengthRange.Standard;
    }

    /// <summary>The next request of the stream.</summary>
    public WorkloadRequest Next()
    {
        var prompt = new int[_random.RandInt(_input.Min, _input.Max)];
        for (int t = 0; t < prompt.Length; t++) prompt[t] = _random.RandInt(0, MaxTokenId);
        return new WorkloadRequest(prompt, _random.RandInt(_output.Min, _output.Max));
    }
}
