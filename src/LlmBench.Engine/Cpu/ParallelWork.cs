namespace LlmBench.Engine.Cpu;

/// <summary>
/// Splits index ranges across the cores. Small jobs run inline: for the tiny test models a thread hand-off costs
/// more than the work. Each index's result never depends on how the range was split, so outputs are identical
/// whatever the core count.
/// </summary>
internal static class ParallelWork
{
    /// <summary>Below this many multiply-adds (about 25 µs on one core, a few Parallel.For hand-offs) a job runs on the calling thread.</summary>
    private const long InlineWorkLimit = 1 << 20;

    private static readonly int Workers = Environment.ProcessorCount;

    /// <summary>Runs <paramref name="body"/>(start, end) over [0, count) in contiguous chunks.</summary>
    /// <param name="workPerItem">Rough multiply-adds per index, to decide whether splitting pays.</param>
    public static void ForRanges(int count, long workPerItem, Action<int, int> body)
    {
        if (count <= 0)
            return;
        if (Workers == 1 || count == 1 || count * workPerItem < InlineWorkLimit)
        {
            body(0, count);
            return;
        }
        // A few chunks per core balances uneven chunks without paying a hand-off per index.
        int chunks = Math.Min(count, Workers * 4);
        Parallel.For(0, chunks, chunk =>
        {
            int start = (int)((long)count * chunk / chunks);
            int end = (int)((long)count * (chunk + 1) / chunks);
            body(start, end);
        });
    }
}
