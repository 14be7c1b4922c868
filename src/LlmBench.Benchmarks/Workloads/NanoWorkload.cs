namespace LlmBench.Benchmarks.Workloads;

/// <summary>
/// The workload of nano-vllm's bench.py (docs/WORKLOADS.md, "nano"): Python's <c>random.seed(0)</c>; per
/// sequence a prompt of <c>randint(100, 1024)</c> ids each <c>randint(0, 10000)</c>; then per sequence
/// <c>max_tokens = randint(100, 1024)</c>. Sampled at temperature 0.6 with ignore_eos.
/// </summary>
public static class NanoWorkload
{
    public const int Sequences = 256;
    public const float Temperature = 0.6f;

    public static IReadOnlyList<WorkloadRequest> Create()
    {
        var random = new PythonRandom(0);
        var prompts = new int[Sequences][];
        for (int s = 0; s < Sequences; s++)
        {
            var prompt = new int[random.RandInt(100, 1024)];
            for (int t = 0; t < prompt.Length; t++) prompt[t] = random.RandInt(0, 10000);
            prompts[s] = prompt;
        }

        var requests = new WorkloadRequest[Sequences];
        for (int s = 0; s < Sequences; s++) requests[s] = new WorkloadRequest(prompts[s], random.RandInt(100, 1024));
        return requests;
    }
}
