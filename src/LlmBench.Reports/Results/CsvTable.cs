using System.Globalization;
using System.Text;

namespace LlmBench.Reports.Results;

/// <summary>A CSV column: its header and how a row's value is read.</summary>
public sealed record CsvColumn<TRow>(string Name, Func<TRow, object?> Value);

/// <summary>
/// Writes rows as RFC 4180 CSV: a header line, then one line per row; numbers in the invariant culture (round-trip for
/// doubles), booleans as true/false, null as an empty field, and fields with a comma, quote or line break quoted.
/// Every table starts with "schema_version".
/// </summary>
public static class CsvTable
{
    public static void Write<TRow>(Stream destination, IReadOnlyList<CsvColumn<TRow>> columns, IEnumerable<TRow> rows)
    {
        using var w = new StreamWriter(destination, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        w.WriteLine("schema_version," + string.Join(',', columns.Select(c => Field(c.Name))));
        foreach (var row in rows)
            w.WriteLine(ResultSchema.Version.ToString(CultureInfo.InvariantCulture) + "," + string.Join(',', columns.Select(c => Field(Format(c.Value(row))))));
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
