using LlmBench.Gpu;
using LlmBench.Gpu.Compilation;

namespace LlmBench.Kernels;

/// <summary>One .cu file compiled with its macros into a loaded module; the launchers derive from it.</summary>
public abstract class KernelFamily : IDisposable
{
    private readonly CudaModule _module;

    protected KernelFamily(KernelCompiler compiler, string fileName, IEnumerable<string> defines)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        _module = compiler.Load(KernelSource.FromEmbedded(typeof(KernelFamily).Assembly, fileName), defines);
    }

    protected CudaKernel Kernel(string name) => _module.GetKernel(name);

    public void Dispose()
    {
        _module.Dispose();
        GC.SuppressFinalize(this);
    }
}
