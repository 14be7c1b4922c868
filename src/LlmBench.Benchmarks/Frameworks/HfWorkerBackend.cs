using System.Globalization;
using System.Text.Json.Nodes;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Frameworks;

/// <summary>What it takes to start a Hugging Face worker.</summary>
/// <param name="Backend">"hf" (transformers generate, eager) or "hf-compile" (static cache, compiled decode step).</param>
/// <param name="Python">The interpreter (--python).</param>
/// <param name="Script">The worker script's path (<see cref="WorkerScript.Materialize"/>).</param>
/// <param name="ModelDirectory">A Hugging Face directory holding the weights every backend runs.</param>
/// <param name="Device">"cuda:0" and the like.</param>
/// <param name="CompileModes">torch.compile modes to try in order (hf-compile).</param>
/// <param name="Log">Gets every line the worker logs.</param>
public sealed record HfWorkerOptions(string Backend, string Python, string Script, string ModelDirectory, string Device, IReadOnlyList<string> CompileModes, ulong Seed, Action<string>? Log);

/// <summary>
/// Hugging Face transformers as a lockstep backend, through the worker process (Resources/hf_worker.py). A batch is
/// one static batch, prompts left-padded; the worker times each generated token (after a CUDA synchronise) from when it
/// read the request, and the requests' outcomes are built from those times, so TTFT, TPOT and throughput are computed
/// by the same code as llmbench's own. In a static batch a request that wants fewer tokens than the longest finishes
/// at its own last token while the batch runs on.
/// </summary>
public sealed class HfWorkerBackend : ILockstepBackend
{
    private readonly WorkerProcess _worker;
    private readonly int _maxPositions;

    private HfWorkerBackend(string name, WorkerProcess worker, int maxPositions, JsonObject loaded)
    {
        Name = name;
        _worker = worker;
        _maxPositions = maxPositions;
        Loaded = loaded;
    }

    public string Name { get; }

    public int? KvBlocks => null;

    /// <summary>The worker's load reply: versions (python, torch, transformers, cuda), device_name, load_s.</summary>
    public JsonObject Loaded { get; }

    /// <summary>"NVIDIA H200 (transformers 5.17.0, torch 2.11.0, sdpa)" from the load reply.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Text("device_name") ?? "GPU"} (transformers {Text("transformers") ?? "?"}, torch {Text("torch") ?? "?"}, CUDA {Text("cuda") ?? "?"}, attention {Text("attn_implementation") ?? "?"})");

    public double LoadSeconds => Loaded["load_s"]?.GetValue<double>() ?? 0;

    /// <summary>Starts the worker and loads the model; a missing Python, torch, transformers or GPU, or a model it cannot load, is one sentence.</summary>
    /// <param name="maxPositions">The model's longest sequence (max_position_embeddings).</param>
    public static HfWorkerBackend Open(HfWorkerOptions options, int maxPositions, CancellationToken cancellationToken)
    {
        var worker = WorkerProcess.Start(options.Backend, options.Python, options.Script, options.Log, cancellationToken);
        try
        {
            var loaded = worker.Request(new JsonObject
            {
                ["op"] = "load",
                ["backend"] = options.Backend,
                ["model"] = options.ModelDirectory,
                ["device"] = options.Device,
                ["compile_modes"] = new JsonArray(options.CompileModes.Select(m => (JsonNode?)m).ToArray()),
                ["seed"] = options.Seed,
            }, "loading the model", cancellationToken);
            return new HfWorkerBackend(options.Backend, worker, maxPositions, loaded);
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    public string? DoesNotFit(SweepShape shape) => shape.LongestSequence > _maxPositions
        ? $"does not fit: a sequence is {shape.LongestSequence} tokens, the model's max_position_embeddings is {_maxPositions}"
        : null;

    public BackendPreparation Prepare(int batch, int maxSequenceLength, CancellationToken cancellationToken)
    {
        var reply = _worker.Request(new JsonObject { ["op"] = "prepare", ["batch"] = batch, ["max_len"] = maxSequenceLength }, $"preparing batch {batch}", cancellationToken);
        var seconds = reply["compile_s"] is JsonValue s ? s.GetValue<double>() : (double?)null;
        var mode = reply["compile_mode"] is JsonValue m ? m.GetValue<string>() : null;
        if (mode is null)
            return new BackendPreparation(seconds, null);
        var notes = new List<string>();
        if (reply["cudagraph_skips"] is JsonValue skips && skips.GetValue<double>() > 0)
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"CUDA graphs skipped {skips.GetValue<double>():0} times"));
        if (reply["failed_modes"] is JsonArray failed && failed.Count > 0)
            notes.Add("after " + string.Join(", ", failed.OfType<JsonObject>().Select(f => $"{f["mode"]} failed: {f["error"]}")));
        return new BackendPreparation(seconds, notes.Count == 0 ? mode : $"{mode}; {string.Join("; ", notes)}");
    }

    public LockstepMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken)
    {
        int newTokens = requests.Max(r => r.OutputTokens);
        var reply = _worker.Request(new JsonObject
        {
            ["op"] = "generate",
            ["prompts"] = new JsonArray(requests.Select(r => (JsonNode?)new JsonArray(r.PromptIds.Select(id => (JsonNode?)id).ToArray())).ToArray()),
            ["max_new_tokens"] = newTokens,
        }, string.Create(CultureInfo.InvariantCulture, $"generating a batch of {requests.Count}"), cancellationToken);
        return Measurement(requests, reply, Name);
    }

    /// <summary>The batch's outcomes from a generate reply: every request sent at 0 on the worker's clock, its tokens at token_times.</summary>
    public static LockstepMeasurement Measurement(IReadOnlyList<WorkloadRequest> requests, JsonObject reply, string backend)
    {
        if (reply["token_times"] is not JsonArray timesArray || reply["elapsed_s"] is not JsonValue elapsedValue)
            throw new WorkerException($"The {backend} worker's generate reply lacks token_times or elapsed_s: {reply.ToJsonString()}", "bad_output", workerAlive: true);
        var times = timesArray.Select(t => t!.GetValue<double>()).ToArray();
        double elapsed = elapsedValue.GetValue<double>();
        var produced = reply["output_tokens"] is JsonArray counts ? counts.Select(c => c!.GetValue<int>()).ToArray() : null;
        var outcomes = new RequestOutcome[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            int tokens = Math.Min(requests[i].OutputTokens, Math.Min(times.Length, produced?[Math.Min(i, produced.Length - 1)] ?? times.Length));
            outcomes[i] = new RequestOutcome($"req-{i}", requests[i].PromptIds.Length, tokens, 0,
                tokens > 0 ? times[0] : null, tokens > 0 ? times[tokens - 1] : null, Aborted: false);
        }

        double end = outcomes.Select(o => o.LastTokenSeconds ?? 0).DefaultIfEmpty(elapsed).Max();
        var activity = new EngineActivity(times.Length, 0, 0, requests.Count, requests.Count, 0, 0);
        return new LockstepMeasurement(new OfflineMeasurement(end, requests.Count, outcomes, activity, Incomplete: false), requests);
    }

    public bool Recover(int batch) => !_worker.HasExited;

    private string? Text(string key) => Loaded[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public void Dispose() => _worker.Dispose();
}
