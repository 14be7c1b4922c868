using System.Collections.Concurrent;

namespace LlmBench.Kernels.Tests.Support;

/// <summary>
/// Collects the errors of every passing comparison so a run can report them (the GPU tests print the log through
/// the test output; set KERNEL_TEST_ERROR_LOG to also append them to a file).
/// </summary>
public static class ErrorLog
{
    private static readonly ConcurrentQueue<string> Lines = new();

    public static void Record(Comparison comparison) => Record(comparison.ToString());

    public static void Record(string line)
    {
        Lines.Enqueue(line);
        var path = Environment.GetEnvironmentVariable("KERNEL_TEST_ERROR_LOG");
        if (!string.IsNullOrEmpty(path))
        {
            lock (Lines)
                File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    public static IReadOnlyCollection<string> All => Lines;
}
