namespace LlmBench.Benchmarks.Frameworks;

/// <summary>
/// A framework worker could not do what it was asked. The message is one sentence for the user (it names the backend,
/// and what to install where something is missing); <see cref="Kind"/> is the worker's word for it ("no_torch",
/// "no_cuda", "model_load", "out_of_memory", ...) or ours ("no_python", "bad_output", "exited").
/// </summary>
public sealed class WorkerException : Exception
{
    public WorkerException()
    {
        Kind = "unknown";
    }

    public WorkerException(string message)
        : base(message)
    {
        Kind = "unknown";
    }

    public WorkerException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "unknown";
    }

    public WorkerException(string message, string kind, bool workerAlive, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        WorkerAlive = workerAlive;
    }

    public string Kind { get; }

    /// <summary>True when the worker answered and can take the next request; false when it exited or cannot be understood.</summary>
    public bool WorkerAlive { get; }
}
