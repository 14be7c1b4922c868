using System.Globalization;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Results;
using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Sweep;
using LlmBench.Telemetry;

namespace LlmBench.Cli;

/// <summary>
/// The state of a `sweep` across its backends: the points so far, what each backend was, the GPUs sampled over all of
/// them. Each backend is opened on its own thread, runs the grid there and is closed; with --gpus once per GPU, every
/// engine loaded before any starts, every point started on all of them together (<see cref="SweepPointGate"/>), each
/// GPU read from its own NVML lane, and the points combined by <see cref="SweepAcrossGpus"/>.
/// </summary>
/// <param name="devices">--gpus as devices ("cuda:0", "cuda:1"); null: one engine where --device says.</param>
/// <param name="pointDone">Called on a backend's thread after each point (tests cancel from here).</param>
internal sealed class SweepRun(IReadOnlyList<SweepShape> grid, ulong seed, double? budget, IReadOnlyList<string>? devices, Action<SweepPoint>? pointDone)
{
    public List<SweepPoint> Points { get; } = [];
    public List<SweepBackend> BackendInfos { get; } = [];
    public List<string> Errors { get; } = [];
    public bool Incomplete { get; set; }
    public EngineUnderTest? First { get; private set; }
    public GpuIdentity? Gpu { get; private set; }
    public GpuTelemetryWindow? Telemetry { get; private set; }
    public IReadOnlyDictionary<string, string>? EngineOptions { get; private set; }

    /// <summary>Opens one backend (once per GPU with --gpus), runs the grid, closes it. A backend that cannot open is an error of its own, unless it is the only one.</summary>
    public async Task BackendAsync(string name, BackendContext context, bool single, CancellationToken cancellationToken)
    {
        var contexts = devices is null ? [context] : devices.Select(d => context with { Device = d }).ToArray();
        var runners = new SweepRunner?[contexts.Length];
        var ready = contexts.Select(_ => new TaskCompletionSource<SweepTarget>(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        using var gate = contexts.Length > 1 ? new SweepPointGate(contexts.Length) : null;
        var workers = contexts.Select((c, i) => new DedicatedWorker<OpenedBackend, (IReadOnlyList<SweepPoint> Points, bool Incomplete)>(
            $"llmbench-sweep-{name}{(c.Device is null ? "" : "-" + c.Device)}", () => LockstepBackends.Open(name, c), _ =>
            {
                var r = new SweepRunner(ready[i].Task.GetAwaiter().GetResult(), new StopwatchClock())
                {
                    PointDone = point => { Report(point, c.Device); pointDone?.Invoke(point); },
                    TimeBudgetSeconds = budget,
                    Gate = gate,
                };
                Volatile.Write(ref runners[i], r);
                return r.Run(grid, seed, cancellationToken);
            })).ToArray();
        OpenedBackend[] opened;
        try
        {
            opened = await Task.WhenAll(workers.Select(w => w.Opened));
        }
        catch (Exception ex)
        {
            foreach (var worker in workers)
                worker.Abandon();
            if (single || ex is OperationCanceledException)
                throw;
            var why = $"the {name} backend did not start: {ex.Message}";
            await Console.Error.WriteLineAsync($"error: {why}");
            Errors.Add(why);
            BackendInfos.Add(new SweepBackend(name, null, null, ex.Message));
            Points.AddRange(grid.Select(s => s.Point(name, SweepPointStatus.NotRun, $"not run: the {name} backend did not start")));
            return;
        }

        foreach (var o in opened)
            BenchmarkConsole.Announce(o);
        var description = opened.Length == 1 ? opened[0].Description : opened[0].Description with { DeviceDescription = string.Join(" + ", opened.Select(o => o.Description.DeviceDescription)) };
        First ??= description;
        if (opened[0].Engine is { } engine && EngineOptions is null)
            EngineOptions = EngineOptionsDescription.Of(LockstepBackends.Spec(contexts[0], eager: name == "llmbench-eager"), engine);
        var gpus = opened.Select(o => GpuIdentity.Of(o.Description)).ToArray();
        if (gpus[0] is not null && Gpu is null)
            await StartTelemetryAsync(gpus);

        for (int i = 0; i < opened.Length; i++)
            ready[i].SetResult(new SweepTarget(opened[i].Backend, opened[i].Description, gpus[i], gpus[i] is null ? null : Telemetry));
        foreach (var worker in workers)
            worker.Go();
        var all = Task.WhenAll(workers.Select(w => w.Completion));
        await BenchmarkConsole.ShowProgressAsync(all, () => Enumerable.Range(0, runners.Length).Sum(i => Volatile.Read(ref runners[i])?.Done ?? 0), grid.Count * workers.Length, $"{name} points");
        var measured = await all;
        Points.AddRange(measured.Length == 1
            ? measured[0].Points
            : SweepAcrossGpus.Combine(opened.Select(o => o.Description.DeviceDescription).ToArray(), measured.Select(m => m.Points).ToArray()));
        Incomplete |= measured.Any(m => m.Incomplete);
        var broken = runners.Select((r, i) => r?.BrokenBy is { } b ? (contexts[i].Device is { } d ? $"on {d}, {b}" : b) : null).OfType<string>().ToArray();
        Errors.AddRange(broken);
        BackendInfos.Add(new SweepBackend(name, description.DeviceDescription, opened.Max(o => o.Description.StartupTime.TotalSeconds), broken.Length == 0 ? null : string.Join("; ", broken)));
    }

    /// <summary>Samples every GPU of the first backend on one, over the whole sweep; each point reads its own GPU's lane.</summary>
    private async Task StartTelemetryAsync(IReadOnlyList<GpuIdentity?> gpus)
    {
        Gpu = gpus[0];
        string? problem = null;
        var indices = gpus.Select(g => g?.NvmlIndex).OfType<int>().ToArray();
        Telemetry = indices.Length > 0 ? GpuTelemetryWindow.TryStart(indices, out problem) : null;
        if (Telemetry is null)
            await Console.Error.WriteLineAsync($"note: no GPU telemetry ({problem ?? "NVML does not list this GPU"}); GPU utilization and memory are left out.");
    }

    private static void Report(SweepPoint point, string? device)
    {
        var input = point.InputLenMax > point.InputLen ? $"{point.InputLen}-{point.InputLenMax}" : $"{point.InputLen}";
        var who = device is null ? point.Backend : $"{point.Backend} on {device}";
        Console.Error.WriteLine(point.Status == SweepPointStatus.Ok
            ? string.Create(CultureInfo.InvariantCulture, $"{who}: batch {point.BatchSize}, input {input}, output {point.OutputLen}: {point.OutputThroughput:0.0} output tok/s, TPOT {point.MeanTpotMs:0.00} ms{(point.CompileSeconds is { } c ? $", compiled in {c:0.0} s ({point.CompileMode})" : "")}")
            : $"{who}: batch {point.BatchSize}, input {input}, output {point.OutputLen}: {point.Note}");
    }
}
