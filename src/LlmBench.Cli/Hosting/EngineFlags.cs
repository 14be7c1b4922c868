using System.CommandLine;
using LlmBench.Engine;

namespace LlmBench.Cli;

/// <summary>
/// The flags of every command that opens an engine (run, throughput, generate, serve), named as vLLM names them:
/// declared here once with one help text, validated once by <see cref="Bind"/>. A command adds them with
/// <see cref="AddTo"/> and passes its own <see cref="EngineDefaults"/>; sizing flags stay nullable so that "not given"
/// is told from a value.
/// </summary>
internal sealed class EngineFlags(EngineDefaults defaults)
{
    public EngineDefaults Defaults { get; } = defaults;

    public Option<string?> Model { get; } = new("--model") { Description = "A Hugging Face directory, a repo id in the HF cache (e.g. Qwen/Qwen3-0.6B), or a preset (qwen3-0.6b, qwen2.5-0.5b: the HF cache copy if present, else dummy weights).", DefaultValueFactory = _ => defaults.Model };
    public Option<string> LoadFormat { get; } = new("--load-format") { Description = "auto (the model's safetensors; a preset not in the cache gets dummy weights), safetensors, or dummy (seeded random weights with the real shapes).", DefaultValueFactory = _ => "auto" };
    public Option<string> Device { get; } = new("--device") { Description = "auto (cuda when a usable GPU and the CUDA engine are present, else cpu), cpu, cuda, or cuda:N.", DefaultValueFactory = _ => "auto" };
    public Option<int?> MaxNumSeqs { get; } = new("--max-num-seqs") { Description = $"Sequences running at once (default {defaults.MaxNumSeqs})." };
    public Option<int?> MaxNumBatchedTokens { get; } = new("--max-num-batched-tokens") { Description = $"Tokens per engine step, decodes plus prefill chunks (default {defaults.MaxNumBatchedTokens}, at least --max-num-seqs)." };
    public Option<int?> MaxModelLen { get; } = new("--max-model-len") { Description = "Prompt + output tokens per sequence (default: the model's, capped by the KV cache)." };
    public Option<double> GpuMemoryUtilization { get; } = new("--gpu-memory-utilization") { Description = "Share of GPU memory the engine may use, in (0, 1].", DefaultValueFactory = _ => 0.9 };
    public Option<int> BlockSize { get; } = new("--block-size") { Description = "Tokens per KV cache block.", DefaultValueFactory = _ => 16 };
    public Option<long?> KvCacheMemoryBytes { get; } = new("--kv-cache-memory-bytes") { Description = "Bytes for the KV cache (vLLM's flag; on the CPU also VLLM_CPU_KVCACHE_SPACE in GiB). Default on the CPU: half the memory left after the weights, 1–8 GiB; on a GPU: from --gpu-memory-utilization." };
    public Option<string> KvCacheDtype { get; } = new("--kv-cache-dtype") { Description = "What the KV cache stores: auto (bf16), bf16, or fp8 (e4m3 with one scale per layer and tensor: twice the tokens in the same memory; GPU of compute capability 8.9+).", DefaultValueFactory = _ => "auto" };
    public Option<bool> CalculateKvScales { get; } = new("--calculate-kv-scales") { Description = "With --kv-cache-dtype fp8: set each layer's K and V scales from the first prefill (largest |value| / 448) instead of 1.0." };
    public Option<string?> Quantization { get; } = new("--quantization", "-q") { Description = "fp8: the decoder layers' linear weights in fp8 e4m3 with one scale per output row, quantized from bf16 at load, or from an fp8 checkpoint's block scales (the LM head stays bf16; GPU of compute capability 8.9+). none: bf16 (an fp8 checkpoint dequantized). Default auto: fp8 for an fp8 checkpoint (config.json's quantization_config) on such a GPU, else none." };
    public Option<bool> EnforceEager { get; } = new("--enforce-eager") { Description = "No CUDA graphs (GPU only), to measure what they bring." };
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of sampling, and of the workload where the command makes one; the same seed repeats the run (default 0)." };

    public void AddTo(Command command)
    {
        Option[] all = [Model, LoadFormat, Device, MaxNumSeqs, MaxNumBatchedTokens, MaxModelLen, GpuMemoryUtilization, KvCacheMemoryBytes, KvCacheDtype, CalculateKvScales, Quantization, BlockSize, EnforceEager, Seed, CompatibilityFlags.TrustRemoteCode];
        foreach (var option in all)
            command.Options.Add(option);
    }

    /// <summary>--seed, or 0 when not given.</summary>
    public ulong SeedOf(ParseResult p) => p.GetValue(Seed) ?? 0;

    /// <summary>
    /// The engine to open, checked before anything loads. <paramref name="defaults"/> replaces the command's defaults for this
    /// one bind (run on a CPU), <paramref name="model"/> a model named another way (serve's argument), <paramref name="device"/> the --device value (run --gpus).
    /// </summary>
    public EngineSpec Bind(ParseResult p, EngineDefaults? defaults = null, string? model = null, string? device = null)
    {
        defaults ??= Defaults;
        CompatibilityFlags.NoteGiven(p, Console.Error);
        int maxNumSeqs = p.GetValue(MaxNumSeqs) ?? defaults.MaxNumSeqs;
        var options = new EngineOptions
        {
            MaxNumSeqs = maxNumSeqs,
            MaxNumBatchedTokens = p.GetValue(MaxNumBatchedTokens) ?? Math.Max(defaults.MaxNumBatchedTokens, maxNumSeqs),
            MaxModelLen = p.GetValue(MaxModelLen),
            GpuMemoryUtilization = p.GetValue(GpuMemoryUtilization),
            BlockSize = p.GetValue(BlockSize),
            EnforceEager = p.GetValue(EnforceEager),
            KvCacheDtype = KvCacheDtypes.Parse(p.GetValue(KvCacheDtype)!),
            CalculateKvScales = p.GetValue(CalculateKvScales),
            Quantization = WeightQuantizations.Parse(p.GetValue(Quantization)),
            KvCacheMemoryBytes = p.GetValue(KvCacheMemoryBytes) ?? CpuKvCacheSpaceFromEnvironment(device ?? p.GetValue(Device)!),
            Seed = SeedOf(p),
        };
        var spec = new EngineSpec
        {
            Model = model ?? p.GetValue(Model) ?? throw new UserErrorException("Name the model with --model (a model directory, a repo id in the HF cache, or a preset)."),
            Format = EngineSpec.ParseFormat(p.GetValue(LoadFormat)!),
            Device = device ?? p.GetValue(Device)!,
            Options = options.Validate(),
        };
        DeviceChoice.Parse(spec.Device); // EngineHost parses it again; here a typo fails before the load.
        return spec;
    }

    /// <summary>vLLM's VLLM_CPU_KVCACHE_SPACE (GiB), for a --device cpu engine when --kv-cache-memory-bytes is not given.</summary>
    private static long? CpuKvCacheSpaceFromEnvironment(string device)
    {
        var text = Environment.GetEnvironmentVariable("VLLM_CPU_KVCACHE_SPACE");
        if (string.IsNullOrWhiteSpace(text) || !device.Equals("cpu", StringComparison.OrdinalIgnoreCase))
            return null;
        return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var gib) && gib > 0 && gib < 1 << 20
            ? (long)(gib * (1L << 30))
            : throw new UserErrorException($"VLLM_CPU_KVCACHE_SPACE must be a positive number of GiB, got \"{text}\".");
    }

    /// <summary>Whether --device (or auto) will put the engine on a GPU, decided before anything is loaded.</summary>
    public bool WillUseGpu(ParseResult p)
    {
        var choice = DeviceChoice.Parse(p.GetValue(Device)!);
        return choice.Kind switch
        {
            DeviceKind.Cpu => false,
            DeviceKind.Cuda => true,
            _ => CudaBackend.IsAvailable(choice.Ordinal, out _),
        };
    }
}
