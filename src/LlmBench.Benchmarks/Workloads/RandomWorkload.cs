namespace LlmBench.Benchmarks.Workloads;

/// <summary>
/// vLLM's `random` dataset for `bench throughput`: <c>--num-prompts</c> requests whose input and output lengths are
/// uniform in [len·(1 − ratio), len·(1 + ratio)] (exactly len when the ratio is 0), with random token ids in
/// [0, 10000), drawn from Python's generator seeded with <c>--seed</c>.
/// </summary>
public static class RandomWorkload
{
    public static IReadOnlyList<WorkloadRequest> Create(int numPrompts, int inputLength, int outputLength, double rangeRatio, ulong seed)
    {
        if (numPrompts < 1)
            throw new ArgumentException($"--num-prompts must be at least 1, got {numPrompts}.");
        if (inputLength < 1 || outputLength < 1)
            throw new ArgumentException($"--input-len and --output-len must be at least 1, got {inputLength} and {outputLength}.");
        if (double.IsNaN(rangeRatio) || rangeRatio < 0 || rangeRatio >= 1)
            throw new ArgumentException($"--random-range-ratio must be in [0, 1), got {rangeRatio}.");
        var random = new PythonRandom(seed);
        var requests = new WorkloadRequest[numPrompts];
        for (int i = 0; i < numPrompts; i++)
        {
            var prompt = new int[Draw(random, inputLength, rangeRatio)];
            for (int t = 0; t < prompt.Length; t++) prompt[t] = random.RandInt(0, StandardWorkload.MaxTokenId);
            requests[i] = new WorkloadRequest(prompt, Draw(random, outputLength, rangeRatio));
        }

        return requests;
    }

    /// <summary>
    /// <paramref name="numPrompts"/> requests whose prompt lengths are uniform in [<paramref name="inputLow"/>, <paramref name="inputHigh"/>]
    /// (the framework tables' "varied" prompts, U[128, 512]) and whose outputs are exactly <paramref name="outputLength"/>, drawn from
    /// Python's generator seeded with <paramref name="seed"/> as <see cref="Create"/> draws.
    /// </summary>
    public static IReadOnlyList<WorkloadRequest> CreateRange(int numPrompts, int inputLow, int inputHigh, int outputLength, ulong seed)
    {
        if (numPrompts < 1 || inputLow < 1 || inputHigh < inputLow || outputLength < 1)
            throw new ArgumentException($"a workload needs at least one request, 1 ≤ input low ≤ input high and output ≥ 1, got {numPrompts}, [{inputLow}, {inputHigh}], {outputLength}.");
        var random = new PythonRandom(seed);
        var requests = new WorkloadRequest[numPrompts];
        for (int i = 0; i < numPrompts; i++)
        {
            var prompt = new int[inputLow == inputHigh ? inputLow : random.RandInt(inputLow, inputHigh)];
            for (int t = 0; t < prompt.Length; t++) prompt[t] = random.RandInt(0, StandardWorkload.MaxTokenId);
            requests[i] = new WorkloadRequest(prompt, outputLength);
        }

        return requests;
    }

    private static int Draw(PythonRandom random, int length, double ratio)
    {
        int low = Math.Max(1, (int)Math.Floor(length * (1 - ratio)));
        int high = Math.Max(low, (int)Math.Ceiling(length * (1 + ratio)));
        return low == high ? low : random.RandInt(low, high);
    }
}
