using System.IO.Compression;

namespace LlmBench.Text.Tokenization;

/// <summary>Opens the gzip-compressed files that ship inside this assembly (see Resources/README.md).</summary>
internal static class EmbeddedResources
{
    public const string Qwen3TokenizerJson = "LlmBench.Tokenization.qwen3-tokenizer.json.gz";
    public const string Qwen3TokenizerConfigJson = "LlmBench.Tokenization.qwen3-tokenizer_config.json.gz";
    public const string UnicodeNfcTable = "LlmBench.Tokenization.unicode-nfc.txt.gz";

    /// <summary>The decompressed bytes of one resource.</summary>
    public static byte[] ReadAllBytes(string name)
    {
        using var compressed = typeof(EmbeddedResources).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The build lost the embedded resource {name}.");
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}
