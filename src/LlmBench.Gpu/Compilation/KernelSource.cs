using System.Reflection;

namespace LlmBench.Gpu.Compilation;

/// <summary>CUDA C++ source and the name NVRTC reports errors under.</summary>
public sealed record KernelSource(string Name, string Code)
{
    /// <summary>
    /// Reads a .cu file embedded in <paramref name="assembly"/>; <paramref name="fileName"/> is matched against the
    /// end of the resource name, so "random_fill.cu" finds "LlmBench.Gpu.Kernels.random_fill.cu".
    /// </summary>
    public static KernelSource FromEmbedded(Assembly assembly, string fileName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var resource = assembly.GetManifestResourceNames()
            .SingleOrDefault(n => n == fileName || n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new ArgumentException($"{assembly.GetName().Name} embeds no kernel source named {fileName}.", nameof(fileName));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return new KernelSource(fileName, reader.ReadToEnd());
    }

    /// <summary>A source embedded in LlmBench.Gpu itself (Kernels/*.cu).</summary>
    public static KernelSource Builtin(string fileName) => FromEmbedded(typeof(KernelSource).Assembly, fileName);
}
