using LlmBench.Text.Tokenization;

namespace LlmBench.Text.Tests.Tokenization;

/// <summary>NFC on cases whose answer the Unicode standard spells out (the reference set checks many more).</summary>
public class NfcNormalizerTests
{
    [Theory]
    [InlineData("e\u0301", "\u00E9")] // base + mark composes
    [InlineData("\u212B", "\u00C5")] // ANGSTROM SIGN is a singleton: never kept
    [InlineData("\u1100\u1161\u11A8", "\uAC01")] // Hangul L+V+T composes arithmetically
    [InlineData("\uAC00\u11A8", "\uAC01")] // LV syllable + T
    [InlineData("q\u0307\u0323", "q\u0323\u0307")] // marks reorder by class (220 before 230); no composite exists
    [InlineData("\u0344", "\u0308\u0301")] // excluded from composition
    [InlineData("\u1E0B\u0323", "\u1E0D\u0307")] // ḋ + dot below: decomposes, reorders, recomposes as ḍ + dot above
    [InlineData("\u0301abc", "\u0301abc")] // a leading mark has nothing to join
    [InlineData("\uD834\uDD5E", "\uD834\uDD57\uD834\uDD65")] // MUSICAL SYMBOL HALF NOTE: excluded, above U+FFFF
    public void Nfc_GivesTheStandardsAnswer(string input, string expected)
    {
        Assert.Equal(expected, NfcNormalizer.Nfc(input));
        Assert.Equal(expected, NfcNormalizer.Nfc(expected)); // NFC is idempotent
    }

    [Fact]
    public void TextNfcCannotChange_IsReturnedWithoutCopying()
    {
        const string text = "Plain ASCII, 中文, 한국어, emoji 😀 and é precomposed";
        Assert.Same(text, NfcNormalizer.Nfc(text));
    }
}
