
namespace LlmBench.Cli;

/// <summary>
/// Runs a command body and turns user mistakes into one line on stderr and exit code 1, so no stack
/// trace reaches a person for something they can fix. Ctrl-C ends with 130 as shells expect.
/// </summary>
internal static class CommandRunner
{
    public const int UserError = 1;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken);
        }
        catch (UserErrorException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return UserError;
        }
        catch (LlmBench.Benchmarks.Frameworks.WorkerException ex)
        {
            // Another framework's worker: a missing Python, torch, transformers or GPU, a model it cannot load, a crash.
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return UserError;
        }
        catch (LlmBench.Reports.Reading.ReportException ex)
        {
            // Result files that cannot be read, results that cannot be compared, prices that are missing.
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return UserError;
        }
        catch (ArgumentException ex) when (ex.GetType() == typeof(ArgumentException))
        {
            // Validation of user-supplied values (sampling parameters, option ranges) throws plain ArgumentException.
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return UserError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled.");
            return Cancelled;
        }
    }
}
