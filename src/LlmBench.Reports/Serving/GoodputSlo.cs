using System.Globalization;

namespace LlmBench.Reports.Serving;

/// <summary>
/// Service-level objectives for goodput (DistServe's definition, as `vllm bench serve --goodput`):
/// a successful request is good when each given metric is at or below its limit. TPOT counts as 0
/// for requests of one output token, as vLLM does.
/// </summary>
public sealed record GoodputSlo(double? TtftMs, double? TpotMs, double? E2elMs)
{
    public static readonly GoodputSlo None = new(null, null, null);

    public bool IsEmpty => TtftMs is null && TpotMs is null && E2elMs is null;

    /// <summary>Parses "ttft:MS tpot:MS e2el:MS" pairs; throws <see cref="ArgumentException"/> with a usable message.</summary>
    public static GoodputSlo Parse(IEnumerable<string> pairs)
    {
        double? ttft = null, tpot = null, e2el = null;
        foreach (var pair in pairs)
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                throw new ArgumentException($"--goodput takes KEY:MILLISECONDS pairs such as ttft:2000, got '{pair}'.");
            if (ms < 0 || double.IsNaN(ms))
                throw new ArgumentException($"--goodput limits are non-negative milliseconds, got '{pair}'.");
            switch (parts[0].Trim())
            {
                case "ttft": ttft = ms; break;
                case "tpot": tpot = ms; break;
                case "e2el": e2el = ms; break;
                default:
                    throw new ArgumentException($"--goodput metric must be ttft, tpot or e2el, got '{parts[0]}'.");
            }
        }

        return new GoodputSlo(ttft, tpot, e2el);
    }

    public bool IsGood(RequestRecord record) =>
        record.Success
        && (TtftMs is not { } ttft || record.TtftMs <= ttft)
        && (TpotMs is not { } tpot || (record.TpotMs ?? 0) <= tpot)
        && (E2elMs is not { } e2el || record.E2elMs <= e2el);
}
