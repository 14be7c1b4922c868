namespace LlmBench.Engine.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet: each byte is written as a printable character (space as 'Ġ', newline as 'Ċ'), so
/// that vocabulary entries are strings. Microsoft.ML.Tokenizers applies it when encoding; decoding to bytes
/// (which streaming needs token by token) uses the inverse here.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly Dictionary<char, byte> CharToByte = Build();
    private static readonly char[] ByteToChar = CharToByte.OrderBy(p => p.Value).Select(p => p.Key).ToArray();

    /// <summary>The vocabulary spelling of a text: its UTF-8 bytes, each as its alphabet character.</summary>
    public static string ToAlphabet(string text)
    {
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        return string.Create(utf8.Length, utf8, (chars, bytes) =>
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[i] = ByteToChar[bytes[i]];
            }
        });
    }

    /// <summary>The bytes a vocabulary entry stands for; like HF's ByteLevel decoder, an entry with a character
    /// outside the alphabet stands for its own UTF-8 (this is how added tokens such as "&lt;|im_end|&gt;" decode).</summary>
    public static byte[] ToBytes(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            if (!CharToByte.TryGetValue(token[i], out bytes[i]))
            {
                return System.Text.Encoding.UTF8.GetBytes(token);
            }
        }

        return bytes;
    }

    private static Dictionary<char, byte> Build()
    {
        var map = new Dictionary<char, byte>(256);
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[(char)(printable ? b : next++)] = (byte)b;
        }

        return map;
    }
}
