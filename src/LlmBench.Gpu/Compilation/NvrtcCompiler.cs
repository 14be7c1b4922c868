using System.Runtime.InteropServices;
using System.Text;
using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Compilation;

/// <summary>NVRTC itself: its version, the architectures it knows, and one compilation from source to image.</summary>
internal static unsafe class NvrtcCompiler
{
    private static readonly Lazy<(string Version, int Major, int[] Architectures)> Info = new(ReadInfo);

    /// <summary>"13.0".</summary>
    public static string Version => Info.Value.Version;

    public static int MajorVersion => Info.Value.Major;

    public static IReadOnlyCollection<int> SupportedArchitectures => Info.Value.Architectures;

    /// <summary>Compiles to a cubin (sm_ target) or NUL-terminated PTX (compute_ target).</summary>
    public static byte[] Compile(KernelSource source, IReadOnlyList<string> options, bool wantCubin)
    {
        GpuLibraryLoader.Load(GpuLibrary.Nvrtc);
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcCreateProgram(out var raw, source.Code, source.Name, 0, null, null));
        using var program = new NvrtcProgramHandle(raw);
        var encoded = options.Select(o => Marshal.StringToCoTaskMemUTF8(o)).ToArray();
        try
        {
            var pointers = stackalloc byte*[encoded.Length];
            for (var i = 0; i < encoded.Length; i++)
                pointers[i] = (byte*)encoded[i];
            var result = Nvrtc.nvrtcCompileProgram(program, encoded.Length, pointers);
            if (result == NvrtcResult.NVRTC_ERROR_COMPILATION || result == NvrtcResult.NVRTC_ERROR_INVALID_OPTION)
                throw new KernelCompileException(source.Name, string.Join(' ', options), ReadLog(program));
            NvrtcCheck.ThrowIfFailed(result);
        }
        finally
        {
            foreach (var pointer in encoded)
                Marshal.FreeCoTaskMem(pointer);
        }

        return wantCubin ? ReadCubin(program) : ReadPtx(program);
    }

    private static string ReadLog(NvrtcProgramHandle program)
    {
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetProgramLogSize(program, out var size));
        var log = new byte[(int)size];
        fixed (byte* p = log)
            NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetProgramLog(program, p));
        return Encoding.UTF8.GetString(log).TrimEnd('\0');
    }

    private static byte[] ReadCubin(NvrtcProgramHandle program)
    {
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetCUBINSize(program, out var size));
        var image = new byte[(int)size];
        fixed (byte* p = image)
            NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetCUBIN(program, p));
        return image;
    }

    // PTX keeps its trailing NUL: cuModuleLoadData reads PTX as a C string.
    private static byte[] ReadPtx(NvrtcProgramHandle program)
    {
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetPTXSize(program, out var size));
        var image = new byte[(int)size];
        fixed (byte* p = image)
            NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetPTX(program, p));
        return image;
    }

    private static (string, int, int[]) ReadInfo()
    {
        GpuLibraryLoader.Load(GpuLibrary.Nvrtc);
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcVersion(out var major, out var minor));
        NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetNumSupportedArchs(out var count));
        var architectures = new int[count];
        fixed (int* p = architectures)
            NvrtcCheck.ThrowIfFailed(Nvrtc.nvrtcGetSupportedArchs(p));
        return ($"{major}.{minor}", major, architectures);
    }
}
