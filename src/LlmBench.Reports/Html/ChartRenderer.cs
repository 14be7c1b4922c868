using System.Text.RegularExpressions;
using ScottPlot;

namespace LlmBench.Reports.Html;

/// <summary>
/// Draws a <see cref="ChartSpec"/> with ScottPlot 5 (SkiaSharp underneath): SVG markup to inline in a page, and PNG
/// bytes for slides. No script and nothing fetched: the SVG is drawn once, here, and the page only shows it.
/// </summary>
public static partial class ChartRenderer
{
    public const int Width = 900;
    public const int Height = 480;

    public static string Svg(ChartSpec spec)
    {
        string svg;
        using (var plot = Build(spec))
            svg = plot.GetSvgXml(Width, Height);
        svg = XmlDeclaration().Replace(svg, "");
        // Each chart's clip paths are numbered from the same start; inline SVGs share one id space, so prefix them.
        var prefix = "c-" + spec.Id + "-";
        svg = IdAttribute().Replace(svg, m => $"id=\"{prefix}{m.Groups[1].Value}\"");
        svg = UrlReference().Replace(svg, m => $"url(#{prefix}{m.Groups[1].Value})");
        svg = svg.Replace("<svg ", $"<svg viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(spec.Title)}\" ", StringComparison.Ordinal);
        return svg.Trim();
    }

    public static byte[] Png(ChartSpec spec, int width = 1280, int height = 720)
    {
        using var plot = Build(spec);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static Plot Build(ChartSpec spec)
    {
        var plot = new Plot();
        plot.Title(spec.Title);
        plot.XLabel(spec.XLabel);
        plot.YLabel(spec.YLabel);
        plot.Font.Set("DejaVu Sans");
        var palette = new ScottPlot.Palettes.Category10();
        var withBand = spec.Series.Where(s => s.Band is not null).ToList();
        for (var i = 0; i < spec.Series.Count; i++)
        {
            var s = spec.Series[i];
            var color = palette.GetColor(i);
            if (s.Band is { } band)
            {
                var span = plot.Add.VerticalSpan(band.Low, band.High);
                span.FillStyle.Color = color.WithAlpha(0.12);
                span.LineStyle.Width = 0;
            }

            switch (spec.Style)
            {
                case ChartStyle.Bar:
                    AddBars(plot, spec, i, color);
                    break;
                default:
                    if (s.X.Count == 0)
                        break;
                    var scatter = plot.Add.Scatter(spec.LogX ? s.X.Select(Math.Log2).ToArray() : s.X.ToArray(), s.Y.ToArray(), color);
                    scatter.LegendText = s.Name;
                    scatter.LineWidth = 2;
                    if (spec.Style == ChartStyle.Cdf)
                    {
                        scatter.ConnectStyle = ConnectStyle.StepHorizontal;
                        scatter.MarkerSize = 0;
                    }
                    else
                    {
                        scatter.MarkerSize = spec.Markers ? 6 : 0;
                    }

                    break;
            }
        }

        if (spec.LogX)
        {
            var xs = spec.Series.SelectMany(s => s.X).Distinct().Order().ToArray();
            plot.Axes.Bottom.SetTicks(xs.Select(Math.Log2).ToArray(), xs.Select(x => x.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }

        if (spec.Style == ChartStyle.Bar && spec.Categories is { } categories)
        {
            var n = spec.Series.Count;
            plot.Axes.Bottom.SetTicks(categories.Select((_, c) => (double)c * (n + 1) + (n - 1) / 2.0).ToArray(), categories.ToArray());
            plot.Axes.Margins(bottom: 0);
        }

        if (spec.Series.Count > 1 || withBand.Count > 0)
            plot.ShowLegend(Alignment.LowerRight);
        else
            plot.HideLegend();
        return plot;
    }

    private static void AddBars(Plot plot, ChartSpec spec, int seriesIndex, Color color)
    {
        var s = spec.Series[seriesIndex];
        var n = spec.Series.Count;
        var bars = s.Y.Select((y, c) => new Bar { Position = c * (n + 1) + seriesIndex, Value = y, FillColor = color }).ToList();
        var plotted = plot.Add.Bars(bars);
        plotted.LegendText = s.Name;
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>", RegexOptions.CultureInvariant)]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("id=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlReference();
}
