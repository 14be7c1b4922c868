using System.CommandLine;
using System.Globalization;
using LlmBench.Engine;

namespace LlmBench.Cli;

/// <summary>
/// The model, device and engine flags that `throughput` and `run` share, named as vLLM names them. Sizing flags
/// are nullable so a command can tell "not given" from a value and pick its own default (run on a CPU does).
/// </summary>
internal sealed class EngineOptionSet
{
    public Option<string> Model { get; } = new("--model") { Description = "A Hugging Face directory, a repo id in the HF cache, or a preset (qwen3-0.6b: the HF cache copy if present, else dummy weights).", DefaultValueFactory = _ => "qwen3-0.6b" };
    public Option<string> LoadFormat { get; } = new("--load-format") { Description = "auto, safetensors, or dummy (seeded random weights with the real shapes).", DefaultValueFactory = _ => "auto" };
    public Option<string> Device { get; } = new("--device") { Description = "auto (cuda when a GPU and the CUDA engine are present, else cpu), cpu, cuda or cuda:N.", DefaultValueFactory = _ => "auto" };
    public Option<int?> MaxNumSeqs { get; } = new("--max-num-seqs") { Description = "Sequences running at once (default 256)." };
    public Option<int?> MaxNumBatchedTokens { get; } = new("--max-num-batched-tokens") { Description = "Tokens per engine step, decodes plus prefill chunks (default 8192)." };
    public Option<int?> MaxModelLen { get; } = new("--max-model-len") { Description = "Prompt + output tokens per sequence (default: the model's, capped by the KV cache)." };
    public Option<double> GpuMemoryUtilization { get; } = new("--gpu-memory-utilization") { Description = "Share of GPU memory the engine may use, in (0, 1].", DefaultValueFactory = _ => 0.9 };
    public Option<int> BlockSize { get; } = new("--block-size") { Description = "Tokens per KV cache block.", DefaultValueFactory = _ => 16 };
    public Option<bool> EnforceEager { get; } = new("--enforce-eager") { Description = "No CUDA graphs (GPU only), to measure what they bring." };

    public void AddTo(Command command)
    {
        Option[] all = [Model, LoadFormat, Device, MaxNumSeqs, MaxNumBatchedTokens, MaxModelLen, GpuMemoryUtilization, BlockSize, EnforceEager];
        foreach (var option in all)
            command.Options.Add(option);
    }

    /// <summary>The spec for one engine; <paramref name="defaultBatchedTokens"/> applies when --max-num-batched-tokens is not given.</summary>
    public EngineSpec ToSpec(ParseResult p, ulong seed, int defaultBatchedTokens = 8192, string? device = null)
    {
        var options = new EngineOptions
        {
            MaxNumSeqs = p.GetValue(MaxNumSeqs) ?? 256,
            MaxNumBatchedTokens = p.GetValue(MaxNumBatchedTokens) ?? Math.Max(defaultBatchedTokens, p.GetValue(MaxNumSeqs) ?? 256),
            MaxModelLen = p.GetValue(MaxModelLen),
            GpuMemoryUtilization = p.GetValue(GpuMemoryUtilization),
            BlockSize = p.GetValue(BlockSize),
            EnforceEager = p.GetValue(EnforceEager),
            Seed = seed,
        };
        options.Validate();
        return new EngineSpec
        {
            Model = p.GetValue(Model)!,
            Format = EngineSpec.ParseFormat(p.GetValue(LoadFormat)!),
            Device = device ?? p.GetValue(Device)!,
            Options = options,
        };
    }

    /// <summary>The options as the result files list them, with what the engine resolved (model length).</summary>
    public static IReadOnlyDictionary<string, string> Describe(EngineSpec spec, OpenedEngine opened)
    {
        var o = spec.Options;
        string S(double v) => v.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>
        {
            ["max_num_seqs"] = S(o.MaxNumSeqs),
            ["max_num_batched_tokens"] = S(o.MaxNumBatchedTokens),
            ["max_model_len"] = S(opened.Engine.MaxModelLength),
            ["block_size"] = S(o.BlockSize),
            ["gpu_memory_utilization"] = S(o.GpuMemoryUtilization),
            ["enforce_eager"] = o.EnforceEager ? "true" : "false",
            ["load_format"] = spec.Format.ToString().ToLowerInvariant(),
        };
        if (opened.Engine is LlmEngine { Options.NumKvBlocks: { } blocks })
            values["kv_cache_blocks"] = S(blocks);
        return values;
    }

    /// <summary>Whether --device (or auto) will put the engine on a GPU, decided before anything is loaded.</summary>
    public static bool WillUseGpu(string device, out string? reason)
    {
        reason = null;
        var choice = DeviceChoice.Parse(device);
        return choice.Kind switch
        {
            DeviceKind.Cpu => false,
            DeviceKind.Cuda => true,
            _ => CudaBackend.IsAvailable(choice.Ordinal, out reason),
        };
    }
}
