using System.CommandLine;
using System.Diagnostics;
using LlmBench.Telemetry;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>`llmbench monitor`: a live view of every GPU's utilization, memory, temperature, power, clocks and throttling.</summary>
internal static class MonitorCommand
{
    public static Command Create()
    {
        var interval = new Option<double>("--interval", "-i") { Description = "Seconds between samples.", DefaultValueFactory = _ => 1.0 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also append every sample to this CSV file (flushed each round, so Ctrl-C leaves it complete)." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl-C)." };
        var gpus = new Option<string?>("--gpus") { Description = "Only these GPUs (NVML indices, comma-separated)." };
        var command = new Command("monitor", "Watch GPU utilization, memory, temperature, power, energy, clocks and clock-event reasons live, like nvidia-smi dmon.")
        {
            Options = { interval, csv, duration, gpus },
        };
        command.Options.Add(GpuCommandRunner.Verbose);
        command.SetAction((parse, ct) => GpuCommandRunner.RunAsync(parse,
            token => RunAsync(
                TimeSpan.FromSeconds(Positive(parse.GetValue(interval), "--interval")),
                parse.GetValue(csv)?.FullName,
                parse.GetValue(duration) is { } d ? TimeSpan.FromSeconds(Positive(d, "--duration")) : null,
                ParseIndices(parse.GetValue(gpus)),
                token),
            ct));
        return command;
    }

    private static async Task<int> RunAsync(TimeSpan interval, string? csvPath, TimeSpan? duration, int[] gpuIndices, CancellationToken cancellationToken)
    {
        using var source = new NvmlSampleSource(gpuIndices);
        using var csv = csvPath is null ? null : CsvSampleWriter.Create(csvPath);
        using var sampler = new GpuSampler(source, interval);
        var live = !Console.IsOutputRedirected;
        IReadOnlyList<GpuSample> latest = [];
        sampler.SamplesTaken += round =>
        {
            csv?.Write(round);
            latest = round;
            if (!live)
                MonitorView.WritePlainRows(Console.Out, round);
        };

        var clock = Stopwatch.StartNew();
        sampler.Start();
        try
        {
            if (live)
            {
                await AnsiConsole.Live(MonitorView.Table(source.Gpus, latest, TimeSpan.Zero)).StartAsync(async context =>
                {
                    while (!Finished(clock, duration, cancellationToken))
                    {
                        await Delay(interval, cancellationToken);
                        context.UpdateTarget(MonitorView.Table(source.Gpus, latest, clock.Elapsed));
                    }
                });
            }
            else
            {
                while (!Finished(clock, duration, cancellationToken))
                    await Delay(interval, cancellationToken);
            }
        }
        finally
        {
            sampler.Stop();
        }

        MonitorView.WriteSummary(AnsiConsole.Console, sampler.Summarize(), csvPath);
        return 0;
    }

    private static bool Finished(Stopwatch clock, TimeSpan? duration, CancellationToken token) =>
        token.IsCancellationRequested || (duration is { } d && clock.Elapsed >= d);

    // Ctrl-C ends monitoring normally: the CSV and the summary are what the person wanted.
    private static async Task Delay(TimeSpan interval, CancellationToken token)
    {
        try
        {
            await Task.Delay(interval, token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"{name} must be a positive number of seconds.");

    private static int[] ParseIndices(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, out var i) && i >= 0 ? i : throw new ArgumentException($"--gpus: '{s}' is not a GPU index."))
                .ToArray();
}
