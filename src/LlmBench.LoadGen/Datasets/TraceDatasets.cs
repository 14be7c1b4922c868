namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// Traces as datasets: the first --num-prompts entries, in trace order, each a request of the trace's input and output
/// length, its arrival time kept for --fixed-schedule. Prompts are token ids sent as such (exact lengths, exact shared
/// prefixes): a Mooncake entry's prompt is the blocks of its hash_ids, <see cref="BlockTokens"/> random tokens per hash id,
/// the same tokens wherever the same id appears (so entries sharing hash ids share that prefix on the server), cut to
/// input_length and completed with tokens of its own; a BurstGPT row's prompt is random tokens of its request length.
/// </summary>
public static class TraceDatasets
{
    public const string Mooncake = "mooncake_trace";
    public const string BurstGpt = "burstgpt";

    /// <summary>Tokens per hash id in a Mooncake trace.</summary>
    public const int BlockTokens = 512;

    public static readonly IReadOnlyList<string> Names = [Mooncake, BurstGpt];

    public static bool IsTrace(string datasetName) => Names.Contains(datasetName);

    public static IReadOnlyList<BenchRequest> Sample(DatasetOptions options, RandomTokenText text)
    {
        var path = options.Path!;
        var entries = options.Name == Mooncake ? TraceReaders.Mooncake(path, options.NumPrompts) : TraceReaders.BurstGpt(path, options.NumPrompts);
        if (entries.Count == 0)
            throw new UserErrorException($"{path} holds no request to replay.");
        var blocks = new Dictionary<long, int[]>();
        var requests = new BenchRequest[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var ids = new List<int>(entry.InputLength);
            foreach (var hashId in entry.HashIds)
            {
                if (ids.Count >= entry.InputLength)
                    break;
                if (!blocks.TryGetValue(hashId, out var block))
                    blocks[hashId] = block = text.Ids(new Random(Seed(options.Seed, hashId)), BlockTokens);
                ids.AddRange(block.AsSpan(0, Math.Min(BlockTokens, entry.InputLength - ids.Count)));
            }

            if (ids.Count < entry.InputLength)
                ids.AddRange(text.Ids(new Random(Seed(options.Seed, -1 - i)), entry.InputLength - ids.Count));
            var prompt = ids.ToArray();
            requests[i] = new BenchRequest(text.Tokenizer.Decode(prompt), prompt.Length, entry.OutputLength)
            {
                PromptIds = prompt,
                TimestampSeconds = entry.TimestampSeconds,
            };
        }

        return requests;
    }

    /// <summary>A seed that depends only on the run's seed and the block (never on the process, unlike HashCode).</summary>
    private static int Seed(int seed, long key) => unchecked((int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 33) ^ (seed * 1_000_003));
}
