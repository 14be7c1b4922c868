using System.CommandLine;
using System.Globalization;
using LlmBench.Reports.Cost;
using LlmBench.Reports.Reading;

namespace LlmBench.Cli;

/// <summary>`llmbench cost`: $ per 1M output tokens, tokens per $, tok/s per $/h (and electricity) for a result or a tok/s figure.</summary>
internal static class CostCommand
{
    private static readonly Argument<string[]> Inputs = new("RESULT") { Arity = ArgumentArity.ZeroOrMore, Description = "Result JSON files; or give --tok-s instead." };
    private static readonly Option<double?> TokS = new("--tok-s") { Description = "Output tok/s to price, instead of a result file." };
    private static readonly Option<double?> JoulesPerToken = new("--joules-per-token") { Description = "J per output token for the energy cost with --tok-s (results carry their own)." };
    private static readonly Option<bool> List = new("--list") { Description = "Print the price table (built-in list prices with their sources and dates, and $LLMBENCH_HOME/prices.json) and exit." };
    private static readonly PriceOptions Prices = new();

    public static Command Create()
    {
        var command = new Command("cost",
            "Cost of a throughput: $ per 1M output tokens = price per hour / (tok/s × 3600) × 10⁶, output tokens per $, tok/s per $/hour, " +
            "and the electricity per 1M output tokens from J/token at --kwh-price. Prices: --price-per-hour, or --gpu NAME from the price table.")
        {
            Arguments = { Inputs },
            Options = { TokS, JoulesPerToken, List },
        };
        Prices.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ => Task.FromResult(Run(parse)), ct));
        return command;
    }

    private static int Run(ParseResult p)
    {
        if (p.GetValue(List))
        {
            PrintTable();
            return 0;
        }

        var inputs = p.GetValue(Inputs) ?? [];
        List<ResultSummary> rows;
        if (p.GetValue(TokS) is { } tokS)
        {
            if (inputs.Length > 0)
                throw new ReportException("give result files or --tok-s, not both.");
            rows = [new ResultSummary("--tok-s", "figure", null, null, 1, "output tok/s", tokS, null, null, null, null, p.GetValue(JoulesPerToken), null, null, [])];
        }
        else if (inputs.Length == 0)
        {
            throw new ReportException("cost needs a result file or --tok-s.");
        }
        else
        {
            rows = ResultReader.ReadAll(inputs).Select(ResultSummary.From).ToList();
        }

        var (prices, sources) = Prices.Resolve(p, rows);
        if (prices.Any(x => x is null))
            throw new ReportException("cost needs a price: --price-per-hour X or --gpu NAME (see llmbench cost --list).");
        var kwh = p.GetValue(Prices.KwhPrice);
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            if (row.OutputTokensPerSecond is not > 0)
                throw new ReportException($"{row.Label} has no output tok/s to price.");
            var c = CostEstimate.Compute(row.OutputTokensPerSecond.Value, prices[i]!.Value, row.JoulesPerOutputToken, kwh);
            Console.Out.WriteLine(Format(row.Label, c, row.GpuCount));
        }

        foreach (var s in sources)
            Console.Out.WriteLine(s);
        if (kwh is not null && rows.Any(r => r.JoulesPerOutputToken is null))
            Console.Out.WriteLine("energy cost needs J per output token (GPU health with energy, or --joules-per-token); left out where missing.");
        return 0;
    }

    internal static string Format(string label, CostEstimate c, int gpus) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{label}: {c.OutputTokensPerSecond:0.#} output tok/s at ${c.PricePerHour:0.###}/h{(gpus > 1 ? $" ({gpus} GPUs)" : "")}: " +
            $"${c.DollarsPerMillionOutputTokens:0.####} per 1M output tokens, {c.OutputTokensPerDollar:0} output tokens per $, " +
            $"{c.TokensPerSecondPerDollarHour:0.##} tok/s per $/h") +
        (c.EnergyDollarsPerMillionOutputTokens is { } e ? string.Create(CultureInfo.InvariantCulture, $", energy ${e:0.####} per 1M output tokens") : "");

    private static void PrintTable()
    {
        var table = PriceOptions.Table();
        Console.Out.WriteLine($"GPU prices: on-demand list prices as each source gave them on the date shown; they change and differ by region. Yours go in {PriceOptions.UserPriceFile} (docs/REPORTS.md).");
        foreach (var e in table.Entries)
            Console.Out.WriteLine($"  {e.Key,-12} {e.Describe()}; source: {e.Source}");
    }
}
