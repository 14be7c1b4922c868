namespace LlmBench.Text.Tokenization;

/// <summary>
/// One of tokenizer.json's added_tokens: matched in the text before BPE and never split. <see cref="Special"/>
/// tokens (&lt;|im_end|&gt;) are dropped by decoding with skipSpecialTokens; others (&lt;think&gt;) are kept.
/// </summary>
/// <param name="Normalized">Matched in the NFC-normalized text rather than the raw text.</param>
/// <param name="LStrip">Also swallows the white space before it.</param>
/// <param name="RStrip">Also swallows the white space after it.</param>
/// <param name="SingleWord">Matches only where no letter, digit or '_' touches it.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool Normalized = false,
    bool LStrip = false, bool RStrip = false, bool SingleWord = false);
