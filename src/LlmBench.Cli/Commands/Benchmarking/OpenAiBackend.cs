using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using LlmBench.Benchmarks.Lockstep;
using LlmBench.Benchmarks.Platform;
using LlmBench.Benchmarks.Running;
using LlmBench.Benchmarks.Workloads;
using LlmBench.LoadGen.Client;
using LlmBench.LoadGen.Runner;
using LlmBench.Reports.Offline;

namespace LlmBench.Cli;

/// <summary>
/// An OpenAI-compatible server (vLLM, SGLang, TGI, ours) as a lockstep backend: a batch is its requests sent at once
/// to /v1/completions, streamed (the same client as `bench serve`), prompts as token ids so every backend gets the
/// same prompts, greedy, ignore_eos; each request's times are its own send, first chunk and last chunk.
/// </summary>
internal sealed class OpenAiBackend(StreamingClient client, string model, string description) : ILockstepBackend
{
    public string Name => "openai";

    public int? KvBlocks => null;

    public string Description => description;

    /// <summary>Names the model (--model, else the server's first), starts the server with --launch, and sizes the client for the largest batch.</summary>
    public static OpenedBackend Open(BackendContext c)
    {
        var p = c.Parse;
        var url = p.GetValue(c.Flags.BaseUrl)!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
            throw new UserErrorException($"--base-url must be an http(s) URL such as http://127.0.0.1:8000, got '{url}'.");
        var clock = Stopwatch.StartNew();
        var spec = c.Engine.Bind(p);
        var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        var launched = p.GetValue(c.Flags.Launch) is { } command
            ? ServerLauncher.StartAsync(command, baseUrl, Console.Error, c.Cancel).GetAwaiter().GetResult()
            : null;
        var model = default(Engine.Loading.LoadedModel);
        try
        {
            model = EngineHost.LoadModel(spec);
            var name = p.GetResult(c.Engine.Model) is { Implicit: false } ? spec.Model : ModelDiscovery.FirstModelAsync(baseUrl, apiKey, c.Cancel).GetAwaiter().GetResult();
#pragma warning disable CA2000 // owned by the backend, disposed with it
            var backend = new OpenAiBackend(new StreamingClient(new Uri(baseUrl, "/v1/completions"), apiKey, c.LargestBatch), name, $"{baseUrl} serving {name}");
#pragma warning restore CA2000
            return new OpenedBackend
            {
                Name = "openai",
                Backend = backend,
                Description = new EngineUnderTest(model, $"{backend.Description}", null, null, clock.Elapsed),
                Owned = new Closing(model, launched),
            };
        }
        catch
        {
            model?.Dispose();
            launched?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public string? DoesNotFit(SweepShape shape) => null;

    public BackendPreparation Prepare(int batch, int maxSequenceLength, CancellationToken cancellationToken) => BackendPreparation.None;

    public LockstepMeasurement Run(IReadOnlyList<WorkloadRequest> requests, ulong seed, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var sends = requests.Select((r, i) => client.SendAsync(i, $"lockstep-{i}", Body(r), start, start, cancellationToken)).ToArray();
        var timings = Task.WhenAll(sends).GetAwaiter().GetResult();
        if (timings.FirstOrDefault(t => !t.Success) is { } failed)
            throw new InvalidOperationException($"request {failed.Index} failed: {failed.Error}");
        double Seconds(long ticks) => (ticks - start) / (double)Stopwatch.Frequency;
        var outcomes = timings.Select(t => new RequestOutcome($"req-{t.Index}", requests[t.Index].PromptIds.Length, t.CompletionTokens ?? t.ChunkTicks.Length,
            Seconds(t.SendTicks), Seconds(t.ChunkTicks[0]), Seconds(t.ChunkTicks[^1]), Aborted: false)).ToArray();
        double end = outcomes.Max(o => o.LastTokenSeconds ?? 0);
        var activity = new EngineActivity(0, 0, 0, requests.Count, requests.Count, 0, 0);
        return new LockstepMeasurement(new OfflineMeasurement(end, requests.Count, outcomes, activity, Incomplete: false), requests);
    }

    /// <summary>{model, prompt: [ids], max_tokens, temperature 0, ignore_eos, stream with usage}.</summary>
    private PreparedRequest Body(WorkloadRequest r)
    {
        var buffer = new ArrayBufferWriter<byte>(r.PromptIds.Length * 7 + 256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("prompt");
            foreach (var id in r.PromptIds)
                w.WriteNumberValue(id);
            w.WriteEndArray();
            w.WriteNumber("max_tokens", r.OutputTokens);
            w.WriteNumber("temperature", 0);
            w.WriteBoolean("ignore_eos", true);
            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new PreparedRequest(buffer.WrittenSpan.ToArray(), r.PromptIds.Length, r.OutputTokens);
    }

    /// <summary>The server is reachable as long as the backend is open; a failed batch leaves nothing behind.</summary>
    public bool Recover(int batch) => true;

    public void Dispose() => client.Dispose();

    /// <summary>Disposes the model and stops the launched server.</summary>
    private sealed class Closing(IDisposable model, ServerLauncher? launched) : IDisposable
    {
        public void Dispose()
        {
            model.Dispose();
            launched?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
