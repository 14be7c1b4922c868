namespace LlmBench.Kernels;

/// <summary>One job's output of <see cref="LogprobKernel"/>, read on the host from its <see cref="LogprobKernel.RecordLength"/> ints.</summary>
public readonly ref struct LogprobRecord(ReadOnlySpan<int> record)
{
    private readonly ReadOnlySpan<int> _record = record.Length >= LogprobKernel.RecordLength
        ? record
        : throw new ArgumentException($"a logprob record holds {LogprobKernel.RecordLength} ints, not {record.Length}.", nameof(record));

    /// <summary>log Σ exp(logits) of the row.</summary>
    public float LogNormalizer => BitConverter.Int32BitsToSingle(_record[0]);

    /// <summary>The id of the <paramref name="rank"/>-th most likely token (rank below the job's count).</summary>
    public int TokenId(int rank) => _record[1 + rank];

    /// <summary>The log probability of the <paramref name="rank"/>-th most likely token.</summary>
    public float Logprob(int rank) => BitConverter.Int32BitsToSingle(_record[1 + LogprobKernel.MaxTop + rank]);
}
