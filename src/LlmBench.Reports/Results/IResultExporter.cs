namespace LlmBench.Reports.Results;

/// <summary>
/// One file format of a result (JSON, Markdown, CSV; HTML later), as BenchmarkDotNet's exporters are: a pure function of
/// the frozen result. <see cref="ResultFolderWriter"/> decides where the file goes; the exporter only names its ending.
/// </summary>
public interface IResultExporter<in TResult>
{
    /// <summary>What follows the result's name: ".json", ".md", ".csv", ".requests.jsonl".</summary>
    string Suffix { get; }

    void Export(TResult result, Stream destination);
}

/// <summary>An exporter made of a format's writer function.</summary>
public sealed class ResultExporter<TResult>(string suffix, Action<TResult, Stream> write) : IResultExporter<TResult>
{
    public string Suffix { get; } = suffix;

    public void Export(TResult result, Stream destination) => write(result, destination);
}
