namespace LlmBench;

/// <summary>
/// A problem the user can fix (a missing file, a bad flag, an unsupported model). The CLI prints its
/// message as one sentence and exits non-zero, with no stack trace; the server maps it to a 4xx.
/// </summary>
public class UserErrorException : Exception
{
    public UserErrorException(string message)
        : base(message)
    {
    }

    public UserErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public UserErrorException()
    {
    }
}
