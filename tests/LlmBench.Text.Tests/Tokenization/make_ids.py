"""Reference ids for the tokenizer tests, made with Hugging Face `tokenizers` (and `transformers` for the chat
template). Usage: python3 make_ids.py DIR > qwen3_reference_ids.json, where DIR holds Qwen3's tokenizer.json and
tokenizer_config.json. The random strings are seeded, so a rerun reproduces the file."""
import json
import random
import shutil
import sys
import tempfile
import unicodedata

DIR = sys.argv[1] if len(sys.argv) > 1 else "."

CASES = [
    # ascii
    ("ascii", "Hello world"),
    ("ascii", "The quick brown fox jumps over the lazy dog."),
    ("ascii", "I'm sure they'll say it's fine, we've done it; you'd agree."),
    ("ascii", "HELLO I'M SHOUTING, THEY'LL HEAR IT'S LOUD"),
    ("ascii", "email: someone@example.com, url: https://example.org/a?b=c&d=e#f"),
    # code
    ("code", "def add(a, b):\n    return a + b\n"),
    ("code", "for (int i = 0; i < n; ++i) {\n\tsum += x[i];\n}\n"),
    ("code", "if x:\n\tif y:\n\t\tprint('nested')\n        # eight spaces\n    \t# mixed\n"),
    ("code", '{"key": [1, 2.5, -3e10], "nested": {"a": null}}'),
    ("code", "    def __init__(self):\n        self.x = {'a': 1}  # comment\n\n\n"),
    # cjk
    ("cjk", "你好，世界！今天天气很好。"),
    ("cjk", "日本語のテキストとカタカナ、ひらがな。"),
    ("cjk", "한국어 문장입니다."),
    ("cjk", "中文English混合123文本"),
    # emoji
    ("emoji", "I love 🍕 and 🍣!"),
    ("emoji", "😀abc 🍕pizza 🎉Party"),
    ("emoji", "👨‍👩‍👧‍👦 family, 👩🏽‍💻 coder, 🏳️‍🌈 flag"),
    ("emoji", "❤️🔥✨👍🏿"),
    ("emoji", "🇺🇸🇯🇵 flags"),
    # whitespace
    ("whitespace", "a  b   c    d"),
    ("whitespace", "line1\nline2\n\nline4\n\n\n"),
    ("whitespace", "windows\r\nline\r\n\r\nend"),
    ("whitespace", "trailing spaces   "),
    ("whitespace", "   leading spaces"),
    ("whitespace", "\t\ttabs\t and \t mixed \n \t "),
    ("whitespace", " "),
    ("whitespace", "\n"),
    ("whitespace", "  \n  "),
    ("whitespace", "\u00a0nbsp\u3000ideographic\u2009thin\u2028sep\u0085nel\x0bvt\x0cff"),
    ("whitespace", ""),
    # numbers
    ("numbers", "12345 67890"),
    ("numbers", "3.14159, 1,000,000 and 2024-01-15"),
    ("numbers", "Price: $19.99 (was $25)"),
    ("numbers", "٣٤٥ ௫ Ⅻ ²³ ½"),
    # mixed scripts
    ("mixed", "Привет мир, Γειά σου κόσμε, مرحبا بالعالم, שלום עולם"),
    ("mixed", "नमस्ते दुनिया, สวัสดีชาวโลก"),
    ("mixed", "math: 𝐇𝐞𝐥𝐥𝐨 𝟏𝟐𝟑 and 𠀀𠀁 ext-B, a𝐇b!𝐇"),
    ("mixed", "control\x00chars\x1b[31mred\x1b[0m\x7f"),
    # combining characters that NFC changes
    ("nfc", "e\u0301cole cafe\u0301 nai\u0308ve"),
    ("nfc", "A\u030a \u212b \u2126 \u1100\u1161\u11a8 \u0344 q\u0307\u0323"),
    ("nfc", "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034da"),
    ("nfc", "\uf900\uf901 \U0002f800 \U0001d15e\U0001d160"),
    # special tokens inside text
    ("special", "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
    ("special", "text<|endoftext|>more text<|endoftext|>"),
    ("special", "<think>\nreasoning\n</think>\n\nanswer"),
    ("special", "<|im_start|><|im_end|><|endoftext|>"),
    ("special", "not special: <|im_sta rt|> <|unknown|> < |im_end| > <|im_end"),
    ("special", '<tool_call>{"name": "f"}</tool_call>'),
    ("special", "<|fim_prefix|>def f():<|fim_suffix|>\n<|fim_middle|>"),
    ("special", "e\u0301<|endoftext|>e\u0301 <|im_end|> "),
    # long
    ("long", "Large language models are trained on vast amounts of text. "
             "They predict the next token given the previous ones; decoding is memory-bound, "
             "so batching many sequences raises throughput until compute becomes the limit.\n\n"
             "Tokenizers split text into pieces: words, sub-words, bytes. 2048 tokens ≈ 1500 words."),
]

EMOJI = ["😀", "🍕", "🎉", "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "❤️", "👍🏿", "🇯🇵", "✨", "🤖", "🧑‍🚀", "☺︎"]
SPACES = [" ", " ", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u3000", "\u2028", "\u0085", "\x0b", "\x0c", "   ", "\n\n"]
BLOCKS = [(0x21, 0x7E, 30), (0xA1, 0x17F, 4), (0x300, 0x36F, 5), (0x370, 0x4FF, 3), (0x591, 0x6FF, 3),
          (0x900, 0x97F, 2), (0xE00, 0xE7F, 2), (0x1100, 0x11FF, 3), (0xAC00, 0xD7A3, 3), (0x1E00, 0x1EFF, 3),
          (0x2000, 0x214F, 3), (0x4E00, 0x9FFF, 6), (0xF900, 0xFAFF, 2), (0xFF00, 0xFFEF, 2), (0x30, 0x39, 6),
          (0x10330, 0x1044F, 2), (0x1D100, 0x1D1FF, 2), (0x1D400, 0x1D7FF, 4), (0x20000, 0x2A6D6, 3), (0x2F800, 0x2FA1D, 1)]


def usable(cp):
    # Unicode 3.2's assignments: old enough that every Unicode table involved (Python's, Oniguruma's, .NET's,
    # the Rust normalizer's) agrees on the character's category and normalization.
    ch = chr(cp)
    cat = unicodedata.ucd_3_2_0.category(ch)
    return cat not in ("Cn", "Cs", "Co", "Cc")


def random_text(rng):
    parts = []
    for _ in range(rng.randint(6, 24)):
        r = rng.random()
        if r < 0.15:
            parts.append(rng.choice(SPACES))
        elif r < 0.22:
            parts.append(rng.choice(EMOJI))
        elif r < 0.26:
            parts.append(rng.choice(["'s", "'LL", "'ve", "'d", "'T"]))
        else:
            lo, hi, _ = rng.choices(BLOCKS, weights=[b[2] for b in BLOCKS])[0]
            run = []
            while len(run) < rng.randint(1, 7):
                cp = rng.randint(lo, hi)
                if usable(cp):
                    run.append(chr(cp))
            parts.append("".join(run))
    return "".join(parts)


def main():
    rng = random.Random(20260101)
    for i in range(40):
        CASES.append(("random", random_text(rng)))

    from tokenizers import Tokenizer
    import tokenizers
    tok = Tokenizer.from_file(f"{DIR}/tokenizer.json")
    out = {
        "made_by": f"tokenizers {tokenizers.__version__} (Python {sys.version.split()[0]}, unicodedata {unicodedata.unidata_version})",
        "vocab_size_with_added": tok.get_vocab_size(with_added_tokens=True),
        "vocab_size_without_added": tok.get_vocab_size(with_added_tokens=False),
        "added_tokens": {t.content: i for i, t in tok.get_added_tokens_decoder().items()},
        "cases": [],
    }
    for kind, text in CASES:
        enc = tok.encode(text, add_special_tokens=False)
        norm = tok.normalizer.normalize_str(text)
        out["cases"].append({
            "kind": kind,
            "text": text,
            "ids": enc.ids,
            "tokens": enc.tokens,
            "normalized": norm,
            "pre_tokens": [p for p, _ in tok.pre_tokenizer.pre_tokenize_str(norm)],
            "decoded": tok.decode(enc.ids, skip_special_tokens=False),
            "decoded_skip_special": tok.decode(enc.ids, skip_special_tokens=True),
            "single_token_decodes": [tok.decode([i], skip_special_tokens=False) for i in enc.ids] if kind in ("emoji", "cjk") else None,
        })
    out["chat"] = chat_cases(tok)
    json.dump(out, sys.stdout, ensure_ascii=True, indent=1)


def chat_cases(tok):
    try:
        import transformers
        from transformers import AutoTokenizer
    except Exception as e:  # noqa: BLE001
        return {"error": repr(e)}
    tmp = tempfile.mkdtemp()
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(f"{DIR}/{f}", tmp)
    at = AutoTokenizer.from_pretrained(tmp)
    think = "<think>\nI should greet back.\n</think>\n\nHi there! How can I help?"
    convs = [
        ("user only", [{"role": "user", "content": "Hello"}], True, None),
        ("system and user", [{"role": "system", "content": "You are a helpful assistant."},
                             {"role": "user", "content": "What is 2+2?"}], True, None),
        ("multi-turn", [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello! How can I help?"},
                        {"role": "user", "content": "Tell me a joke."}], True, None),
        ("history with think", [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": think},
                                {"role": "user", "content": "Thanks"}], True, None),
        ("thinking disabled", [{"role": "user", "content": "Hello"}], True, False),
        ("thinking enabled", [{"role": "user", "content": "Hello"}], True, True),
        ("final assistant", [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}], False, None),
        ("final assistant with think", [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": think}], False, None),
        ("system later", [{"role": "user", "content": "Hi"}, {"role": "system", "content": "Be brief."},
                          {"role": "user", "content": "Explain BPE."}], True, False),
        ("tools", [{"role": "user", "content": "Weather in Paris?"}, {"role": "assistant", "content": "Let me check."},
                   {"role": "tool", "content": "Sunny, 25C"}, {"role": "tool", "content": "Humidity 40%"}], True, None),
        ("tool loop with think", [{"role": "user", "content": "Weather?"},
                                  {"role": "assistant", "content": "<think>\nneed tool\n</think>\n\nChecking."},
                                  {"role": "tool", "content": "Rain"},
                                  {"role": "assistant", "content": "<think>\nsummarize\n</think>\n\nIt rains."}], False, None),
        ("unicode content", [{"role": "user", "content": "e\u0301 你好 😀\n  code:\tx"}], True, None),
    ]
    res = {"made_by": f"transformers {transformers.__version__}", "eos_token_id": at.eos_token_id,
           "pad_token_id": at.pad_token_id, "len_tokenizer": len(at), "cases": []}
    for name, msgs, gen, thinking in convs:
        kw = {} if thinking is None else {"enable_thinking": thinking}
        text = at.apply_chat_template(msgs, tokenize=False, add_generation_prompt=gen, **kw)
        ids = tok.encode(text, add_special_tokens=False).ids
        try:
            t_ids = at.apply_chat_template(msgs, tokenize=True, add_generation_prompt=gen, **kw)
            if hasattr(t_ids, "keys"):
                t_ids = t_ids["input_ids"]
            t_ids = list(t_ids)
        except Exception as e:  # noqa: BLE001
            t_ids = repr(e)
        res["cases"].append({"name": name, "messages": msgs, "add_generation_prompt": gen,
                             "enable_thinking": thinking, "text": text, "ids": ids,
                             "transformers_ids_equal": t_ids == ids})
    return res


if __name__ == "__main__":
    main()
