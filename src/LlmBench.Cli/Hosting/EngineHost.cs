using System.Diagnostics;
using LlmBench.Engine;
using LlmBench.Engine.Loading;
using LlmBench.Text.Tokenization;

namespace LlmBench.Cli;

/// <summary>
/// Every command that runs a model opens it here: resolve --model, load weights, pick the device, create
/// the engine and find the tokenizer. One place decides what auto means.
/// </summary>
internal static class EngineHost
{
    /// <summary>Resolves --model and loads its weights (or dummy ones), for commands that build their own engine (profile).</summary>
    public static LoadedModel LoadModel(EngineSpec spec) => ModelLoader.Load(new ModelLoadOptions
    {
        Model = spec.Model,
        Format = spec.Format,
        DummySeed = spec.DummySeed,
        Environment = HuggingFaceEnvironment.FromProcess(),
    });

    public static OpenedEngine Open(EngineSpec spec)
    {
        var device = DeviceChoice.Parse(spec.Device);
        spec.Options.Validate();
        var clock = Stopwatch.StartNew();
        var model = LoadModel(spec);
        try
        {
            var tokenizer = TokenizerLoader.ForModel(model.ModelDirectory, model.Config.VocabSize);
            string? fallback = null;
            bool useGpu = device.Kind == DeviceKind.Cuda;
            if (device.Kind == DeviceKind.Auto)
            {
                useGpu = CudaBackend.IsAvailable(device.Ordinal, out var reason);
                if (!useGpu)
                    fallback = GpuCommandRunner.WithoutPathsTried(reason); // the paths tried: `llmbench gpu --verbose`
            }

            if (useGpu)
            {
                var engine = CudaBackend.Create(model, spec.Options, device.Ordinal, out var description);
                return new OpenedEngine
                {
                    Engine = engine, Model = model, Tokenizer = tokenizer, DeviceDescription = description,
                    OnGpu = true, GpuOrdinal = device.Ordinal, StartupTime = clock.Elapsed, KvCacheDtype = spec.Options.KvCacheDtype,
                    Quantization = engine is LlmEngine { Options.Quantization: var resolved } ? resolved : spec.Options.Quantization,
                };
            }

            var cpu = CpuEngine.Create(model.Config, model.Weights, spec.Options);
            return new OpenedEngine
            {
                Engine = cpu, Model = model, Tokenizer = tokenizer,
                DeviceDescription = $"cpu ({Environment.ProcessorCount} cores)",
                OnGpu = false, FallbackReason = fallback, StartupTime = clock.Elapsed, Quantization = cpu.Options.Quantization,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
