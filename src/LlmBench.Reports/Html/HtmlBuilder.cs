using System.Globalization;
using System.Net;
using System.Text;

namespace LlmBench.Reports.Html;

/// <summary>A small HTML writer: escaped text, tables, charts; the page's one stylesheet is inline.</summary>
public sealed class HtmlBuilder
{
    private readonly StringBuilder _body = new();
    private readonly List<ChartSpec> _charts = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public IReadOnlyList<ChartSpec> Charts => _charts;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string F(double? value, string format = "0.##") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    public HtmlBuilder Heading(int level, string text)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{E(text)}</h{level}>\n");
        return this;
    }

    public HtmlBuilder Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(E(text)).Append("</p>\n");
        return this;
    }

    public HtmlBuilder Raw(string html)
    {
        _body.Append(html);
        return this;
    }

    public HtmlBuilder Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        _body.Append("<table>");
        if (caption is not null)
            _body.Append("<caption>").Append(E(caption)).Append("</caption>");
        _body.Append("<thead><tr>");
        foreach (var h in headers)
            _body.Append("<th>").Append(E(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
                _body.Append("<td>").Append(E(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }

        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Key/value pairs as a two-column table.</summary>
    public HtmlBuilder Pairs(IEnumerable<(string Key, string? Value)> pairs, string? caption = null) =>
        Table(["", ""], pairs.Where(p => p.Value is not null).Select(p => (IReadOnlyList<string>)[p.Key, p.Value!]), caption);

    /// <summary>Draws the chart inline (SVG) and keeps it for the PNG folder; ids are made unique within the page.</summary>
    public HtmlBuilder Chart(ChartSpec spec)
    {
        var id = spec.Id;
        for (var n = 2; !_ids.Add(id); n++)
            id = $"{spec.Id}-{n}";
        spec = spec with { Id = id };
        _charts.Add(spec);
        _body.Append(CultureInfo.InvariantCulture, $"<figure class=\"chart\" id=\"chart-{E(id)}\" data-chart=\"{E(id)}\">\n");
        _body.Append(ChartRenderer.Svg(spec)).Append('\n');
        _body.Append("<figcaption>").Append(E(spec.Title)).Append("</figcaption></figure>\n");
        return this;
    }

    public string Page(string title) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
        $"<title>{E(title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n<main>\n" +
        $"<h1>{E(title)}</h1>\n" + _body + "</main>\n</body>\n</html>\n";

    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
        main { max-width: 1000px; margin: 0 auto; padding: 1em 1.5em 3em; background: #fff; }
        h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-top: 1.5em; }
        table { border-collapse: collapse; margin: 0.5em 0 1.2em; font-size: 0.9em; }
        th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        td { font-variant-numeric: tabular-nums; } th { background: #f0f0f0; }
        caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
        figure.chart { margin: 1em 0; } figure.chart svg { width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.85em; color: #555; }
        p.note { color: #555; font-size: 0.9em; }
        code { background: #f3f3f3; padding: 0 0.2em; }

        """;
}
