using LlmBench.Engine.Api;

namespace LlmBench.Engine.Tests.Support;

/// <summary>Runs an engine until every request finished, collecting each request's events.</summary>
internal static class EngineDriver
{
    public static Dictionary<string, List<TokenEvent>> RunToCompletion(IInferenceEngine engine, int maxSteps = 10_000)
    {
        var events = new Dictionary<string, List<TokenEvent>>();
        for (int step = 0; engine.HasUnfinishedRequests; step++)
        {
            Assert.True(step < maxSteps, "the engine did not finish its requests");
            foreach (var e in engine.Step())
            {
                if (!events.TryGetValue(e.RequestId, out var list))
                    events[e.RequestId] = list = [];
                list.Add(e);
            }
        }
        return events;
    }

    public static int[] Tokens(IEnumerable<TokenEvent> events) => events.Where(e => e.TokenId >= 0).Select(e => e.TokenId).ToArray();
}
