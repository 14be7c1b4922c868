using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// A Hugging Face byte-level BPE tokenizer (Qwen2/2.5/3, Llama 3, GPT-2 style) over Microsoft.ML.Tokenizers'
/// BpeTokenizer, which does the normalization, regex pre-tokenization, byte-level mapping and merges. Done here:
/// added tokens (split out of the text before BPE, as HF does), decoding to bytes, the chat template and EOS ids.
/// Load one with <see cref="TokenizerLoader"/>. Thread-safe for Encode/Decode; detokenizers are per sequence.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly PreTokenizer _preTokenizer;
    private readonly Normalizer? _normalizer;
    private readonly Dictionary<string, int> _vocabulary;
    private readonly bool _ignoreMerges;
    private readonly AddedTokenSplitter _rawAddedTokens;
    private readonly AddedTokenSplitter _normalizedAddedTokens;
    private readonly TokenBytesTable _bytes;
    private readonly ChatMlTemplate? _chatTemplate;

    internal ByteLevelBpeTokenizer(TokenizerDefinition definition, TokenizerConfig config, string source)
    {
        try
        {
            _preTokenizer = new IsolatedSplitPreTokenizer(definition.SplitPattern);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new UserErrorException($"{source}'s pre-tokenizer regex cannot run in .NET ({ex.Message}).", ex);
        }

        _normalizer = definition.Nfc ? NfcNormalizer.Instance : null;
        var options = new BpeOptions(definition.Vocabulary)
        {
            Merges = definition.Merges,
            ByteLevel = true,
            PreTokenizer = _preTokenizer,
            Normalizer = _normalizer,
        };
        var bpe = Task.Run(() => BpeTokenizer.Create(options)); // the slowest part of loading: overlap the rest with it
        _vocabulary = definition.Vocabulary.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        _ignoreMerges = definition.IgnoreMerges;
        AddedTokens = definition.AddedTokens;
        _rawAddedTokens = new AddedTokenSplitter(AddedTokens.Where(t => !t.Normalized));
        _normalizedAddedTokens = new AddedTokenSplitter(AddedTokens.Where(t => t.Normalized));
        _bytes = new TokenBytesTable(definition.Vocabulary, AddedTokens);
        try
        {
            _bpe = bpe.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new UserErrorException($"{source}'s vocabulary and merges do not fit together ({ex.Message}).", ex);
        }

        EosTokenId = IdOf(config.EosToken);
        PadTokenId = IdOf(config.PadToken);
        BosTokenId = IdOf(config.BosToken);
        AddBosToken = config.AddBosToken && BosTokenId is not null;
        EosTokenIds = EndOfSequenceIds();
        _chatTemplate = ChatMlTemplate.Recognise(config.ChatTemplate, TokenToId("<|im_start|>") is not null && TokenToId("<|im_end|>") is not null);
    }

    /// <summary>One more than the highest id (151,669 for Qwen3: 151,643 BPE entries and 26 added tokens).</summary>
    public int VocabSize => _bytes.Count;

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>tokenizer_config.json's eos_token (Qwen3: &lt;|im_end|&gt;).</summary>
    public int? EosTokenId { get; }

    public int? PadTokenId { get; }

    public int? BosTokenId { get; }

    /// <summary>The model expects <see cref="BosTokenId"/> before a prompt; Encode never adds it.</summary>
    public bool AddBosToken { get; }

    /// <summary>eos_token, and the pad token when it is a special token (Qwen's &lt;|endoftext|&gt;, the end-of-document
    /// mark): a model that produces its pad token has nothing more to say.</summary>
    public IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>The recognised chat format, or null when the model's template is not one rendered here.</summary>
    public ChatMlTemplate? ChatTemplate => _chatTemplate;

    /// <summary>The id of an added token ("&lt;|im_end|&gt;") or a vocabulary entry in byte-level spelling ("Ġworld").</summary>
    public int? TokenToId(string token) =>
        AddedTokens.FirstOrDefault(t => t.Content == token)?.Id ?? (_vocabulary.TryGetValue(token, out int id) ? id : null);

    public bool IsSpecial(int id) => _bytes.IsSpecial(id);

    public int[] Encode(string text)
    {
        text = Utf16Text.ReplaceLoneSurrogates(text);
        var ids = new List<int>(text.Length / 3);
        foreach (var (start, length, tokenId) in _rawAddedTokens.Split(text))
        {
            if (tokenId >= 0)
            {
                ids.Add(tokenId);
            }
            else if (_normalizedAddedTokens.IsEmpty)
            {
                EncodePlain(text.Substring(start, length), ids);
            }
            else
            {
                string normalized = _normalizer?.Normalize(text.AsSpan(start, length)) ?? text.Substring(start, length);
                foreach (var (s, l, id) in _normalizedAddedTokens.Split(normalized))
                {
                    if (id >= 0)
                    {
                        ids.Add(id);
                    }
                    else
                    {
                        EncodePlain(normalized.Substring(s, l), ids);
                    }
                }
            }
        }

        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var bytes = new ArrayBufferWriter<byte>(Math.Max(16, ids.Length * 4));
        foreach (int id in ids)
        {
            bytes.Write(_bytes.Get(id, skipSpecialTokens));
        }

        return Encoding.UTF8.GetString(bytes.WrittenSpan); // invalid bytes become U+FFFD, as HF's from_utf8_lossy
    }

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        ApplyChatTemplate(messages, addGenerationPrompt, enableThinking: true);

    /// <summary>As the interface's overload; <paramref name="enableThinking"/>=false is Qwen3's enable_thinking=False.</summary>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, bool enableThinking) =>
        (_chatTemplate ?? throw new UserErrorException(
            "This model's chat template is not ChatML, the only chat format supported; give the prompt without --chat."))
        .Render(messages, addGenerationPrompt, enableThinking);

    public IIncrementalDetokenizer CreateDetokenizer(bool skipSpecialTokens = true) => CreateStreamingDecoder(skipSpecialTokens);

    /// <summary>As <see cref="CreateDetokenizer"/>, typed to expose <see cref="IncrementalDetokenizer.Flush"/>.</summary>
    public IncrementalDetokenizer CreateStreamingDecoder(bool skipSpecialTokens = true) => new(_bytes, skipSpecialTokens);

    private void EncodePlain(string text, List<int> ids)
    {
        if (!_ignoreMerges)
        {
            ids.AddRange(_bpe.EncodeToIds(text));
            return;
        }

        // ignore_merges: a pre-token that is a vocabulary entry as a whole is that entry, merges or not.
        string normalized = _normalizer?.Normalize(text) ?? text;
        foreach (var (offset, length) in _preTokenizer.PreTokenize(normalized))
        {
            string word = normalized.Substring(offset, length);
            if (_vocabulary.TryGetValue(ByteLevelAlphabet.ToAlphabet(word), out int id))
            {
                ids.Add(id);
            }
            else
            {
                ids.AddRange(_bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
            }
        }
    }

    private int? IdOf(string? token) => token is null ? null : TokenToId(token);

    private List<int> EndOfSequenceIds()
    {
        var ids = new List<int>();
        if (EosTokenId is int eos)
        {
            ids.Add(eos);
        }

        if (PadTokenId is int pad && pad != EosTokenId && IsSpecial(pad))
        {
            ids.Add(pad);
        }

        return ids;
    }
}
