using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Datasets;

/// <summary>Builds the requests of a run from --dataset-name and its flags.</summary>
public static class DatasetFactory
{
    /// <param name="tokenIdLimit">Ordinary token ids lie in [0, tokenIdLimit); the random dataset draws from them.</param>
    public static IReadOnlyList<BenchRequest> Sample(DatasetOptions options, ITextTokenizer tokenizer, int tokenIdLimit)
    {
        options.Validate();
        return options.Name switch
        {
            "random" => new RandomDataset(tokenizer, tokenIdLimit).Sample(options),
            "prefix_repetition" => new PrefixRepetitionDataset(new RandomTokenText(tokenizer, tokenIdLimit)).Sample(options),
            "sonnet" => new SonnetDataset(tokenizer).Sample(options),
            "sharegpt" => new ShareGptDataset(tokenizer).Sample(options),
            "custom" => new CustomDataset(tokenizer).Sample(options),
            TraceDatasets.Mooncake or TraceDatasets.BurstGpt => TraceDatasets.Sample(options, new RandomTokenText(tokenizer, tokenIdLimit)),
            _ => throw new ArgumentException($"Unknown dataset '{options.Name}'."),
        };
    }
}
