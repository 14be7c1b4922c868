using System.CommandLine;
using LlmBench.Reports.Compare;
using LlmBench.Reports.Html;
using LlmBench.Reports.Reading;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>`llmbench compare A B …`: results of one workload side by side, with ratios to the first; refuses different workloads.</summary>
internal static class CompareCommand
{
    private static readonly Argument<string[]> Inputs = new("RESULT") { Arity = ArgumentArity.OneOrMore, Description = "Result JSON files (or folders) of the same workload; the first is the baseline of the ratios." };
    private static readonly Option<bool> Markdown = new("--markdown") { Description = "Print the table as Markdown instead of a terminal table." };
    private static readonly Option<string?> Output = new("--output", "-o") { Description = "Also write the table: Markdown for .md, the HTML report with bar charts for .html." };
    private static readonly Option<string?> Html = new("--html") { Description = "Write an HTML page with the table and bar charts (and PNG charts beside it) to this path." };
    private static readonly PriceOptions Prices = new();

    public static Command Create()
    {
        var command = new Command("compare",
            "Compare results of the same workload from different GPUs, runs, engine options or backends: output tok/s or score, TTFT/TPOT " +
            "p50/p99, J/token and tok/s per W, fraction of the memory-bandwidth floor, cost with a price, and each as a ratio to the first.")
        {
            Arguments = { Inputs },
            Options = { Markdown, Output, Html },
        };
        Prices.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ => Task.FromResult(Run(parse)), ct));
        return command;
    }

    private static int Run(ParseResult p)
    {
        var results = ResultReader.ReadAll(p.GetValue(Inputs)!);
        var summaries = results.Select(ResultSummary.From).ToList();
        Comparison.CheckSameWorkload(summaries);
        var (prices, sources) = Prices.Resolve(p, summaries);
        var comparison = Comparison.Build(results, prices, p.GetValue(Prices.KwhPrice));
        var markdown = comparison.ToMarkdown() + string.Concat(sources.Select(s => $"\n{s}\n"));
        if (p.GetValue(Markdown))
            Console.Out.Write(markdown);
        else
            Render(comparison, sources);
        var html = p.GetValue(Html);
        if (p.GetValue(Output) is { } output)
        {
            if (output.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || output.EndsWith(".htm", StringComparison.OrdinalIgnoreCase))
                html = output;
            else
            {
                File.WriteAllText(output, markdown);
                Console.Error.WriteLine($"saved {output}");
            }
        }

        if (html is not null)
        {
            var page = new HtmlBuilder();
            foreach (var s in sources)
                page.Paragraph(s, "note");
            ResultReport.CompareSection(page, comparison);
            var written = ResultReport.WritePage(page, html, "llmbench compare");
            Console.Error.WriteLine($"saved {written.HtmlPath} and {written.ChartFiles.Count} chart(s) in {written.ChartsFolder}{Path.DirectorySeparatorChar}");
        }

        return 0;
    }

    private static void Render(Comparison c, IReadOnlyList<string> sources)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("comparison (ratios to the first column)");
        table.AddColumn("");
        foreach (var column in c.Columns)
            table.AddColumn(new TableColumn(Markup.Escape(column.Label)).RightAligned());
        table.AddRow(["GPU", .. c.Gpus.Select(Markup.Escape)]);
        table.AddRow(["dtypes", .. c.Dtypes.Select(Markup.Escape)]);
        foreach (var row in c.Rows)
            table.AddRow([Markup.Escape(row.Metric), .. c.Columns.Select((_, i) => Markup.Escape(row.Cell(i)))]);
        AnsiConsole.Write(table);
        Console.Out.WriteLine("workload: " + string.Join("; ", c.Columns[0].Workload.Select(p => $"{p.Key} {p.Value}")));
        foreach (var line in c.Notes.Concat(sources))
            Console.Out.WriteLine(line);
    }
}
