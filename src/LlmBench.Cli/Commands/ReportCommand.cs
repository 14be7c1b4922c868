using System.CommandLine;
using LlmBench.Reports.Html;
using LlmBench.Reports.Reading;

namespace LlmBench.Cli;

/// <summary>`llmbench report`: result files or folders → one self-contained HTML page and a folder of PNG charts.</summary>
internal static class ReportCommand
{
    private static readonly Argument<string[]> Inputs = new("RESULT_OR_FOLDER") { Arity = ArgumentArity.OneOrMore, Description = "Result JSON files (run, throughput, bench serve, sweep, latency, profile) or folders holding them." };
    private static readonly Option<string> Output = new("--output", "-o") { Description = "The HTML file to write; the PNG charts go to <name>-charts/ beside it.", DefaultValueFactory = _ => "report.html" };

    public static Command Create()
    {
        var command = new Command("report",
            "Write one HTML report (opens offline: charts are inline SVG, no scripts) with platform and configuration, charts by result " +
            "kind and tables under them, plus the charts as PNG in <report>-charts/ for slides.")
        {
            Arguments = { Inputs },
            Options = { Output },
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            var results = ResultReader.ReadAll(parse.GetValue(Inputs)!);
            var written = ResultReport.Write(results, parse.GetValue(Output)!);
            Console.Error.WriteLine($"saved {written.HtmlPath} and {written.ChartFiles.Count} chart(s) in {written.ChartsFolder}{Path.DirectorySeparatorChar}");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    /// <summary>The command that makes a report of <paramref name="folder"/>: what `run` prints at its end.</summary>
    public static string CommandFor(string folder) =>
        $"llmbench report {Quote(folder)} -o {Quote(Path.Combine(folder, "report.html"))}";

    private static string Quote(string s) => s.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? $"'{s.Replace("'", "'\\''", StringComparison.Ordinal)}'" : s;
}
