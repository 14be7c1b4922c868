using LlmBench.LoadGen.Runner;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>A progress bar on stderr (stdout stays clean for the report) that polls the runner's counters.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(200);

    public static async Task ShowAsync(Task run, RunProgress progress, double? durationSeconds)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            await Task.WhenAny(run);
            return;
        }

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(durationSeconds is null ? "requests" : "seconds", maxValue: progress.Total ?? durationSeconds ?? 1);
                var started = DateTime.UtcNow;
                while (!run.IsCompleted)
                {
                    await Task.WhenAny(run, Task.Delay(Refresh));
                    task.Value = progress.Total is null ? Math.Min((DateTime.UtcNow - started).TotalSeconds, task.MaxValue) : progress.Completed;
                    task.Description = progress.Failed == 0 ? $"{progress.Completed} done" : $"{progress.Completed} done, {progress.Failed} failed";
                }

                task.Value = task.MaxValue;
            });
    }
}
