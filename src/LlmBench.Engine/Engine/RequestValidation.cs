using LlmBench.Engine.Api;

namespace LlmBench.Engine;

/// <summary>What makes a request impossible to run, each as one sentence a client can act on.</summary>
internal static class RequestValidation
{
    public static void Validate(GenerationRequest request, int maxModelLen, int vocabSize)
    {
        if (string.IsNullOrEmpty(request.Id))
            throw new ArgumentException("a request needs a non-empty id.", nameof(request));
        var prompt = request.PromptIds;
        if (prompt is null || prompt.Length == 0)
            throw new ArgumentException("the prompt is empty; give at least one token.", nameof(request));
        if (prompt.Length >= maxModelLen)
            throw new ArgumentException(
                $"the prompt has {prompt.Length} tokens but the model length is {maxModelLen}, which leaves no room for output; " +
                "shorten the prompt or raise --max-model-len.", nameof(request));
        for (int i = 0; i < prompt.Length; i++)
        {
            if ((uint)prompt[i] >= (uint)vocabSize)
                throw new ArgumentException(
                    $"prompt token {i} has id {prompt[i]}, outside the model's vocabulary of {vocabSize} ids.", nameof(request));
        }
        ArgumentNullException.ThrowIfNull(request.Sampling);
        request.Sampling.Validate();
    }
}
