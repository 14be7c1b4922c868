using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;

namespace LlmBench.Kernels;

/// <summary>
/// One .cu file compiled with its macros into a loaded module; the launchers derive from it. The file is compiled
/// behind the helpers every kernel shares (programmatic_launch.cuh, the last-CTA counter of grid_counter.cuh, the bf16 and fp8
/// conversions in bf16.cuh and fp8.cuh, the KV cache element in kv_cache.cuh: the folder's prelude, as llm.c keeps
/// cuda_utils.cuh), with its own line numbers in compile logs.
/// </summary>
public abstract class KernelFamily : IDisposable
{
    /// <summary>The headers in front of every .cu file, in this order.</summary>
    public static IReadOnlyList<string> Prelude { get; } = ["programmatic_launch.cuh", "grid_counter.cuh", "bf16.cuh", "fp8.cuh", "kv_cache.cuh"];

    private static readonly string SharedPrelude = string.Join('\n',
        Prelude.Select(name => $"#line 1 \"{name}\"\n{KernelSource.FromEmbedded(typeof(KernelFamily).Assembly, name).Code}"));

    private readonly CudaModule _module;

    protected KernelFamily(KernelCompiler compiler, string fileName, IEnumerable<string> defines)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        var source = KernelSource.FromEmbedded(typeof(KernelFamily).Assembly, fileName);
        _module = compiler.Load(source with { Code = $"{SharedPrelude}\n#line 1 \"{fileName}\"\n{source.Code}" }, defines);
    }

    protected CudaKernel Kernel(string name) => _module.GetKernel(name);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Unloads the module; a launcher with handles of its own overrides this and calls the base.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            _module.Dispose();
    }
}
