using LlmBench.Engine.Api;

namespace LlmBench.Engine;

public sealed partial class LlmEngine
{
    /// <summary>
    /// How production turns an executor into a running engine (the CUDA factory calls this): the engine takes the
    /// executor as it is, with every capability it offers (overlap included), owns it from here (disposing the engine
    /// disposes the executor and its device), and runs <see cref="WarmUpLargestStep"/>. On failure the executor is disposed.
    /// </summary>
    /// <param name="options">Options resolved for the executor's model and cache.</param>
    public static LlmEngine CreateWarmedUp(EngineOptions options, IModelExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        LlmEngine engine;
        try
        {
            engine = new LlmEngine(options, executor);
        }
        catch
        {
            executor.Dispose();
            throw;
        }
        try
        {
            engine.WarmUpLargestStep();
        }
        catch
        {
            engine.Dispose();
            throw;
        }
        return engine;
    }

    /// <summary>
    /// Runs one throwaway request whose prompt fills a whole step (max-num-batched-tokens, within the model length),
    /// then forgets it: counters and request numbering start again from zero. What the largest prefill step sets up on
    /// first use is then done before the first real request (vLLM's start-up profile run plays the same part). On a
    /// fresh engine only.
    /// </summary>
    public void WarmUpLargestStep()
    {
        if (HasUnfinishedRequests || _requestsSeen != 0)
            throw new InvalidOperationException("Warm up a fresh engine only.");
        int length = Math.Min(Options.MaxNumBatchedTokens, MaxModelLength - 1);
        var prompt = new int[length];
        for (int i = 0; i < length; i++)
            prompt[i] = (int)((i * 7919L + 13) % VocabSize); // varied ids, not zeros
        AddRequest(new GenerationRequest("llmbench-warm-up", prompt, new SamplingParams { MaxTokens = 1, IgnoreEos = true }));
        while (HasUnfinishedRequests)
            Step();
        _scheduler.Counters.Reset();
        _requestsSeen = 0;
    }
}
