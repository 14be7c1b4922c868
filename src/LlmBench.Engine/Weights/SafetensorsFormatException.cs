namespace LlmBench.Engine.Weights;

/// <summary>A safetensors file (or its shard index) that is truncated, malformed or unreadable by llmbench.</summary>
public sealed class SafetensorsFormatException : UserErrorException
{
    public SafetensorsFormatException(string filePath, string problem)
        : base($"{filePath} is not a usable safetensors file: {problem}.")
    {
        FilePath = filePath;
        Problem = problem;
    }

    public SafetensorsFormatException(string filePath, string problem, Exception innerException)
        : base($"{filePath} is not a usable safetensors file: {problem}.", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    public SafetensorsFormatException()
    {
        FilePath = Problem = "";
    }

    public SafetensorsFormatException(string message)
        : base(message)
    {
        FilePath = Problem = "";
    }

    public string FilePath { get; }

    /// <summary>What is wrong, without the file name (for tests and logs).</summary>
    public string Problem { get; }
}
