using System.Diagnostics;
using System.Text;
using LlmBench.Text.Tokenization;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>Measures, for the record (the numbers go to the test output); asserts only correctness.</summary>
public class TokenizerSpeedTests
{
    [Fact]
    public void Encode_100KB_OfEnglishAndCode_RoundTrips_AndReportsItsSpeed()
    {
        const string Prose = "Large language models predict the next token; decoding is memory-bound, so batching raises throughput. ";
        const string Code = "    def add(self, a: int, b: int) -> int:\n        return a + b  # 2 numbers\n\n";
        MeasureEncode("English and code", Repeat(i => i % 3 == 0 ? Code : Prose));
    }

    [Fact]
    public void Encode_100KB_OfTheReferenceMix_RoundTrips_AndReportsItsSpeed()
    {
        // Every reference case in turn: CJK, emoji, combining marks, random code points (the slow paths: NFC, surrogates).
        var cases = Qwen3Reference.Instance.Cases;
        MeasureEncode("reference mix", Repeat(i => cases[i % cases.Count].Text + "\n"));
    }

    private static string Repeat(Func<int, string> piece)
    {
        var text = new StringBuilder();
        for (int i = 0; text.Length < 100_000; i++)
        {
            text.Append(piece(i));
        }

        return text.ToString();
    }

    private static void MeasureEncode(string name, string corpus)
    {
        var tokenizer = TokenizerLoader.Qwen3;
        int[] ids = tokenizer.Encode(corpus); // warm-up: JIT, the lazily compiled regex, the BPE word cache
        var clock = Stopwatch.StartNew();
        const int Repeats = 5;
        for (int r = 0; r < Repeats; r++)
        {
            ids = tokenizer.Encode(corpus);
        }

        double ms = clock.Elapsed.TotalMilliseconds / Repeats;
        Assert.Equal(NfcNormalizer.Nfc(corpus), tokenizer.Decode(ids)); // NFC cases come back composed
        int bytes = Encoding.UTF8.GetByteCount(corpus);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Encode {name}: {bytes / 1024.0:F0} KiB ({corpus.Length} chars) -> {ids.Length} tokens in {ms:F1} ms " +
            $"({bytes / 1e3 / ms:F1} MB/s, {ids.Length / ms / 1000:F2} M tokens/s)");
    }

    [Fact]
    public void Qwen3_LoadTime_IsReported()
    {
        var clock = Stopwatch.StartNew();
        var tokenizer = TokenizerLoader.Create(
            EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerJson), "qwen3",
            EmbeddedResources.ReadAllBytes(EmbeddedResources.Qwen3TokenizerConfigJson), "qwen3 config");
        double loadMs = clock.Elapsed.TotalMilliseconds;
        Assert.Equal([9707, 1879], tokenizer.Encode("Hello world"));
        TestContext.Current.TestOutputHelper?.WriteLine($"Qwen3 tokenizer load (decompress, parse, build): {loadMs:F0} ms; first encode done at {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
