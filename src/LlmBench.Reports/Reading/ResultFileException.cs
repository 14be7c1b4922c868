namespace LlmBench.Reports.Reading;

/// <summary>Something the user can fix in what they asked a report, comparison or cost of; the message is one sentence.</summary>
public class ReportException : Exception
{
    public ReportException(string message)
        : base(message)
    {
    }

    public ReportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ReportException()
    {
    }
}

/// <summary>A result file or folder that cannot be read; the message names the file and what is wrong.</summary>
public sealed class ResultFileException : ReportException
{
    public ResultFileException(string message)
        : base(message)
    {
    }

    public ResultFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResultFileException()
    {
    }
}
