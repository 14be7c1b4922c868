namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// vLLM's prefix_repetition dataset, for servers with prefix caching: --prefix-repetition-num-prefixes prefixes of
/// --prefix-repetition-prefix-len random tokens, each followed by its own --prefix-repetition-suffix-len random tokens in
/// --num-prompts / num-prefixes prompts (so a run holds that many times num-prefixes requests, as in vLLM), shuffled
/// by the seed; every request asks for --prefix-repetition-output-len tokens. Prefix and suffix are each corrected for
/// re-tokenization drift (<see cref="RandomTokenText"/>); the reported length is the prompt text's real count.
/// </summary>
public sealed class PrefixRepetitionDataset(RandomTokenText text)
{
    public IReadOnlyList<BenchRequest> Sample(DatasetOptions options)
    {
        var perPrefix = options.NumPrompts / options.PrefixRepetitionNumPrefixes;
        if (perPrefix == 0)
            throw new ArgumentException(
                $"--num-prompts ({options.NumPrompts}) must be at least --prefix-repetition-num-prefixes ({options.PrefixRepetitionNumPrefixes}).");
        var rng = new Random(options.Seed);
        var requests = new List<BenchRequest>(perPrefix * options.PrefixRepetitionNumPrefixes);
        for (int p = 0; p < options.PrefixRepetitionNumPrefixes; p++)
        {
            var prefix = text.IdsOfLength(rng, options.PrefixRepetitionPrefixLength);
            for (int i = 0; i < perPrefix; i++)
            {
                var suffix = text.IdsOfLength(rng, options.PrefixRepetitionSuffixLength);
                var prompt = text.Tokenizer.Decode([.. prefix, .. suffix]);
                requests.Add(new BenchRequest(prompt, text.Tokenizer.Encode(prompt).Length, options.PrefixRepetitionOutputLength));
            }
        }

        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(requests));
        return requests;
    }
}
