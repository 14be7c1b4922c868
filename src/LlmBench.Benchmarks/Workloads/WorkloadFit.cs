namespace LlmBench.Benchmarks.Workloads;

/// <summary>
/// Adapts workload requests to a model that cannot take them as they are: token ids at or above the vocabulary
/// size are folded into it (id mod vocab), and a request longer than the model length is clipped (prompt first
/// to leave room for one output token, then output). Lengths stay exact wherever the model allows them.
/// </summary>
public sealed class WorkloadFit(int vocabSize, int maxModelLength)
{
    public int FoldedRequests { get; private set; }

    public int ClippedRequests { get; private set; }

    public WorkloadRequest Apply(WorkloadRequest request)
    {
        var prompt = request.PromptIds;
        if (prompt.Length >= maxModelLength)
        {
            prompt = prompt[..(maxModelLength - 1)];
        }

        int output = Math.Min(request.OutputTokens, maxModelLength - prompt.Length);
        if (prompt.Length != request.PromptIds.Length || output != request.OutputTokens)
            ClippedRequests++;
        if (prompt.Any(id => id >= vocabSize))
        {
            prompt = prompt.Select(id => id % vocabSize).ToArray();
            FoldedRequests++;
        }

        return ReferenceEquals(prompt, request.PromptIds) && output == request.OutputTokens ? request : new WorkloadRequest(prompt, output);
    }

    public IReadOnlyList<WorkloadRequest> Apply(IReadOnlyList<WorkloadRequest> requests) => requests.Select(Apply).ToArray();
}
