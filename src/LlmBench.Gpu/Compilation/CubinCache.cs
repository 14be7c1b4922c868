using System.Security.Cryptography;
using System.Text;

namespace LlmBench.Gpu.Compilation;

/// <summary>
/// Compiled kernels on disk, keyed by everything that changes the output: the source text, the options, the
/// target architecture and the NVRTC version. A corrupt or unreadable entry counts as a miss and is rewritten.
/// </summary>
public sealed class CubinCache(string directory)
{
    // Bump when the key's recipe or the file format changes, so old entries are never misread.
    private const string FormatVersion = "llmbench-kernel-cache-1";

    public string Directory { get; } = directory;

    public static string Key(KernelSource source, IReadOnlyList<string> options, CompileTarget target, string nvrtcVersion)
    {
        var text = new StringBuilder()
            .Append(FormatVersion).Append('\0')
            .Append(source.Code).Append('\0')
            .AppendJoin('\n', options).Append('\0')
            .Append(target.Architecture).Append('\0')
            .Append(nvrtcVersion)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string PathFor(KernelSource source, CompileTarget target, string key)
    {
        var stem = Path.GetFileNameWithoutExtension(source.Name);
        return Path.Combine(Directory, $"{stem}-{target.Architecture}-{key[..20]}.{(target.IsCubin ? "cubin" : "ptx")}");
    }

    public byte[]? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return bytes.Length > 0 ? bytes : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes through a temporary file and a rename, so a concurrent reader never sees half a cubin.</summary>
    public void Write(string path, ReadOnlySpan<byte> image)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, image.ToArray());
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache only costs a recompile next time; the kernel itself is fine.
        }
    }
}
