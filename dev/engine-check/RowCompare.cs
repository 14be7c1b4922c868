namespace LlmBench.Dev.EngineCheck;

/// <summary>
/// How two logits rows compare: cosine (in double), the top-k ids (ties by lower id), top-1 and top-5 agreement. Also
/// compiled into LlmBench.Engine.Tests and LlmBench.Engine.Cuda.Tests, so every check computes cosine one way.
/// </summary>
internal static class RowCompare
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public static int[] Top(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();

    public static string Same(float[] a, float[] b) => Top(a, 1)[0] == Top(b, 1)[0] ? "same" : "DIFF";

    public static int Overlap(float[] a, float[] b) => Top(a, 5).Intersect(Top(b, 5)).Count();
}
