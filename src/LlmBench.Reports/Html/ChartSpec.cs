namespace LlmBench.Reports.Html;

public enum ChartStyle
{
    /// <summary>Points joined by lines, one per series.</summary>
    Line,

    /// <summary>A cumulative distribution: a step line from 0 to 1.</summary>
    Cdf,

    /// <summary>One bar per category (X is the category index); several series sit side by side.</summary>
    Bar,
}

/// <summary>One series of a chart; <paramref name="Band"/> draws a shaded horizontal band (low, high) behind it.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, (double Low, double High)? Band = null);

/// <summary>
/// A chart as data, independent of the library that draws it: the report builds these, <see cref="ChartRenderer"/>
/// turns each into SVG (inlined in the HTML) and PNG (the slides folder).
/// </summary>
/// <param name="Id">A file-name-safe name, unique in a report: "sweep-throughput-vs-batch".</param>
/// <param name="Categories">For <see cref="ChartStyle.Bar"/>: the label under each bar group.</param>
/// <param name="Markers">For <see cref="ChartStyle.Line"/>: a marker on every point (off for long time series).</param>
public sealed record ChartSpec(
    string Id,
    string Title,
    string XLabel,
    string YLabel,
    ChartStyle Style,
    IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<string>? Categories = null,
    bool LogX = false,
    bool Markers = true);
