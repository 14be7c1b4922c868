using System.Globalization;
using System.Text;

namespace LlmBench.Server.Metrics;

/// <summary>A Prometheus histogram with fixed upper bounds, updated lock-free from any request thread.</summary>
public sealed class Histogram(string name, string help, double[] upperBounds)
{
    private readonly long[] _counts = new long[upperBounds.Length + 1];
    private long _sumMicros;

    public string Name => name;

    public void Observe(double seconds)
    {
        var bucket = Array.BinarySearch(upperBounds, seconds);
        bucket = bucket >= 0 ? bucket : ~bucket;
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicros, (long)Math.Round(seconds * 1e6));
    }

    /// <summary>Appends the text exposition: HELP, TYPE, then the samples.</summary>
    public void Write(StringBuilder sb, string labels)
    {
        WriteHeader(sb);
        WriteSamples(sb, labels);
    }

    public void WriteHeader(StringBuilder sb)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" histogram\n");
    }

    /// <summary>Appends the samples under <paramref name="labels"/>: cumulative buckets, +Inf, _sum and _count.</summary>
    public void WriteSamples(StringBuilder sb, string labels)
    {
        long cumulative = 0;
        for (int i = 0; i <= upperBounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < upperBounds.Length ? upperBounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            sb.Append(name).Append("_bucket{").Append(labels).Append(",le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
        }

        sb.Append(name).Append("_sum{").Append(labels).Append("} ")
            .Append((Interlocked.Read(ref _sumMicros) / 1e6).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(name).Append("_count{").Append(labels).Append("} ").Append(cumulative).Append('\n');
    }
}
