using LlmBench.Benchmarks.Workloads;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>What the benchmark commands tell a person on stderr while they work (stdout keeps the report).</summary>
internal static class BenchmarkConsole
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    public static void Announce(OpenedEngine opened)
    {
        Console.Error.WriteLine($"model: {opened.Model.Description}; device: {opened.DeviceDescription}; start-up {opened.StartupTime.TotalSeconds:0.0} s");
        if (opened.Model.Notice is not null)
            Console.Error.WriteLine($"note: {opened.Model.Notice}");
        if (opened.Model.IsDummy)
            Console.Error.WriteLine("note: dummy weights: the speed is real, the generated text is not.");
        if (opened.FallbackReason is not null)
            Console.Error.WriteLine($"note: no GPU engine here ({opened.FallbackReason}), so the benchmark runs on the CPU engine; its numbers are not GPU numbers.");
    }

    /// <summary>A lockstep backend: llmbench's engine as <see cref="Announce(OpenedEngine)"/> says, another framework in one line.</summary>
    public static void Announce(OpenedBackend opened)
    {
        if (opened.Engine is { } engine)
        {
            Console.Error.WriteLine($"backend {opened.Name}:");
            Announce(engine);
            return;
        }

        var d = opened.Description;
        Console.Error.WriteLine($"backend {opened.Name}: model: {d.Model.Description}; device: {d.DeviceDescription}; start-up {d.StartupTime.TotalSeconds:0.0} s");
    }

    public static void AnnounceFit(WorkloadFit fit)
    {
        if (fit.FoldedRequests > 0)
            Console.Error.WriteLine($"note: {fit.FoldedRequests} requests had token ids beyond the model's vocabulary; they were folded into it (id mod vocab).");
        if (fit.ClippedRequests > 0)
            Console.Error.WriteLine($"note: {fit.ClippedRequests} requests were longer than the model length and were clipped to it.");
    }

    /// <summary>A progress bar while <paramref name="work"/> runs, when stderr is a terminal; otherwise just waits.</summary>
    public static async Task ShowProgressAsync(Task work, Func<int> completed, int total, string unit = "requests")
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive || Console.IsErrorRedirected)
        {
            await Task.WhenAny(work);
            return;
        }

        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(unit, maxValue: total);
                while (!work.IsCompleted)
                {
                    await Task.WhenAny(work, Task.Delay(Refresh));
                    task.Value = completed();
                    task.Description = $"{completed()}/{total} {unit}";
                }

                task.Value = task.MaxValue;
            });
    }
}
