using System.Globalization;
using LlmBench.Engine;
using LlmBench.Engine.Cuda;
using LlmBench.Engine.Cuda.Profiling;
using LlmBench.Engine.Loading;

namespace LlmBench.Dev.EngineCheck;

/// <summary>`EngineCheck profile`: the step profiler at several batch sizes, one table per step (the CLI's `profile` shows the same).</summary>
internal static class Profile
{
    public static int Run(string model, int[] batchSizes, int inputLen, int outputLen, bool eager, CudaExecutorSettings? settings = null)
    {
        using var loaded = model.Contains('/', StringComparison.Ordinal) ? ModelDir.Load(model)
            : ModelLoader.Load(new ModelLoadOptions { Model = model, Format = LoadFormat.Dummy, Environment = HuggingFaceEnvironment.WithHfHome(Path.GetTempPath()) });
        foreach (int bs in batchSizes)
        {
            var options = new EngineOptions { MaxNumSeqs = Math.Max(bs, 8), MaxNumBatchedTokens = 8192, MaxModelLen = 4096, EnforceEager = eager };
            var run = CudaStepProfiler.Run(loaded, options, 0, new ProfileRequest(bs, inputLen, outputLen), settings);
            Print($"bs {bs} prefill ({run.Prefill.Tokens} tokens)", run.Prefill, null);
            Print($"bs {bs} decode at context {run.DecodeContext}", run.Decode, run);
            PrintTrace(run);
        }
        return 0;
    }

    private static void Print(string title, StepProfile profile, ProfileRun? run)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"== {title}: {profile.Calls.Count} calls, Σ {profile.KernelMilliseconds * 1e3:0.0} µs, {profile.Bytes / 1e9:0.000} GB at least"
            + (run is null ? "" : string.Create(c, $"; production step (graphs) GPU {run.DecodeStepGpuMs * 1e3:0.0} µs, host {run.DecodeStepWallMs * 1e3:0.0} µs")));
        Console.WriteLine($"{"role",-20} {"family",-22} {"calls",5} {"µs/step",9} {"share",7} {"MB",9} {"GB/s",7}");
        foreach (var r in RoleSummary.Of(profile))
            Console.WriteLine(string.Create(c, $"{r.Role.Name(),-20} {r.Family,-22} {r.Calls,5} {r.Milliseconds * 1e3,9:0.0} {r.Share,7:P1} {r.Bytes / 1e6,9:0.0} {r.AchievedBytesPerSecond / 1e9,7:0}"));
    }

    private static void PrintTrace(ProfileRun run)
    {
        var c = CultureInfo.InvariantCulture;
        if (run.Trace is not { } t)
        {
            Console.WriteLine($"== no CUPTI trace: {run.TraceNote}");
            return;
        }
        Console.WriteLine(string.Create(c, $"== CUPTI trace of {t.Steps} production decode steps: {t.LaunchesPerStep:0.#} kernels per step, span {t.SpanMicroseconds:0.0} µs, busy {t.BusyMicroseconds:0.0} µs, idle {t.IdleShare:P1}, dropped {t.Dropped}"));
        foreach (var k in t.Kernels)
            Console.WriteLine(string.Create(c, $"{k.Name,-48} {k.LaunchesPerStep,7:0.##} {k.MicrosecondsPerStep,9:0.0} {k.Share,7:P1}"));
    }
}
