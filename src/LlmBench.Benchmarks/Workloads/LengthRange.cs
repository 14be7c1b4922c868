using System.Globalization;

namespace LlmBench.Benchmarks.Workloads;

/// <summary>Token lengths drawn uniformly from [Min, Max], both included (Python's randint).</summary>
public readonly record struct LengthRange(int Min, int Max)
{
    /// <summary>The standard workload's U[100, 1024] (docs/WORKLOADS.md).</summary>
    public static LengthRange Standard => new(StandardWorkload.MinLength, StandardWorkload.MaxLength);

    public bool IsStandard => this == Standard;

    /// <summary>True when Min &lt; Max: each request draws its own length.</summary>
    public bool Varied => Min < Max;

    /// <summary>"100-1024" or "512" (a fixed length); anything else is a <see cref="FormatException"/> naming the text.</summary>
    public static LengthRange Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"\"{text}\" is not a length range: write MIN-MAX with 1 <= MIN <= MAX, like 100-1024, or one length");

    /// <summary>"MIN-MAX" (1 ≤ MIN ≤ MAX) or one length "N" as [N, N]; null for anything else. Callers word their own refusal.</summary>
    public static LengthRange? TryParse(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int min)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int max)
            && min >= 1 && max >= min
            ? new LengthRange(min, max)
            : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"U[{Min}, {Max}]");
}
