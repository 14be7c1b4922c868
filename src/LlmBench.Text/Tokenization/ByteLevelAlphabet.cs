namespace LlmBench.Text.Tokenization;

/// <summary>
/// GPT-2's byte-level alphabet: each byte is written as a printable character (space as 'Ġ', newline as 'Ċ'), so
/// that vocabulary entries are strings. Microsoft.ML.Tokenizers applies it when encoding; decoding to bytes
/// (which streaming needs token by token) uses the inverse here.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = BuildAlphabet();
    private static readonly short[] CharToByte = Invert(ByteToChar); // -1: not in the alphabet

    /// <summary>The vocabulary spelling of a text: its UTF-8 bytes, each as its alphabet character.</summary>
    public static string ToAlphabet(string text) => ToAlphabet(System.Text.Encoding.UTF8.GetBytes(text));

    public static string ToAlphabet(byte[] bytes) => string.Create(bytes.Length, bytes, (chars, b) =>
    {
        for (int i = 0; i < b.Length; i++)
        {
            chars[i] = ByteToChar[b[i]];
        }
    });

    /// <summary>The bytes a vocabulary entry stands for; like HF's ByteLevel decoder, an entry with a character
    /// outside the alphabet stands for its own UTF-8 (this is how added tokens such as "&lt;|im_end|&gt;" decode).</summary>
    public static byte[] ToBytes(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c >= CharToByte.Length || CharToByte[c] < 0)
            {
                return System.Text.Encoding.UTF8.GetBytes(token);
            }

            bytes[i] = (byte)CharToByte[c];
        }

        return bytes;
    }

    private static char[] BuildAlphabet()
    {
        var alphabet = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            alphabet[b] = (char)(printable ? b : next++);
        }

        return alphabet;
    }

    private static short[] Invert(char[] alphabet)
    {
        var inverse = new short[alphabet.Max() + 1];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < alphabet.Length; b++)
        {
            inverse[alphabet[b]] = (short)b;
        }

        return inverse;
    }
}
