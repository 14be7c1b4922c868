using LlmBench.Engine.Scheduling;
using LlmBench.Gpu;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// A step's integer inputs, written by the CPU into pinned memory and uploaded region by region (only the used
/// prefix of each) into one device buffer at fixed offsets, so captured graphs keep reading the right addresses.
/// Rows are laid out one-token sequences first (decode attention), then multi-token chunks (prefill attention);
/// sampled rows keep the plan's entry order, which is the order tokens are returned in.
/// </summary>
internal sealed class StepInputs : IDisposable
{
    // Two staging buffers: with overlap, step N+1 is written while step N's upload may still be queued.
    private readonly PinnedHostBuffer<int>[] _hosts;
    private readonly List<(int Row, int SampleRow)> _placeholders = [];
    private readonly DeviceBuffer<int> _device;
    private readonly int _blockSize;
    private readonly int _maxMasked;
    private int[] _lastRowOfEntry;

    public StepInputs(GpuDevice device, int maxTokens, int maxSequences, int maxBlocksPerSequence, int blockSize, int maxMasked)
    {
        long capacity = StepLayout.Capacity(maxTokens, maxSequences, maxMasked, maxBlocksPerSequence);
        _hosts = [device.AllocatePinned<int>(checked((int)capacity)), device.AllocatePinned<int>(checked((int)capacity))];
        _device = device.Allocate<int>(capacity);
        _blockSize = blockSize;
        _maxMasked = maxMasked;
        _lastRowOfEntry = new int[maxSequences];
        MaxBlocksPerSequence = maxBlocksPerSequence;
    }

    public int MaxBlocksPerSequence { get; }

    /// <summary>Which staging buffer the next <see cref="Write"/> and <see cref="Upload"/> use; the overlapped executor flips it per launch.</summary>
    public int Parity { get; set; }

    private PinnedHostBuffer<int> Host => _hosts[Parity];

    /// <summary>The device views of a step's inputs.</summary>
    public StepViews Views(StepShape shape) => new(_device.View, shape);

    /// <summary>
    /// Writes <paramref name="plan"/> into the staging buffer; with <paramref name="paddedDecodes"/> above the plan's
    /// size (decode-only plans run by a graph), dummy one-token sequences fill the rest: they store nothing
    /// (slot -1), attend one key of block 0, and their samples are dropped. Placeholder tokens (ids the host does
    /// not know yet) are looked up in <paramref name="previousSamples"/>: the sample row of the previous launch that
    /// will hold them, which the device copies in before the forward pass. <paramref name="logprobJobs"/> (the plan's,
    /// from <see cref="LogprobJob.Of"/>) are written last, so they never move the other regions.
    /// </summary>
    public StepShape Write(StepPlan plan, int paddedDecodes = 0, IReadOnlyDictionary<Sequence, int>? previousSamples = null,
        ReadOnlySpan<LogprobJob> logprobJobs = default)
    {
        _placeholders.Clear();
        _previousSamples = previousSamples;
        var (decodes, tokens, sampledRows, masked) = Count(plan, paddedDecodes);
        var layout = new StepLayout(tokens, plan.Entries.Count + decodes - CountDecodes(plan), sampledRows, masked, MaxBlocksPerSequence,
            logprobJobs.Length);
        if (_lastRowOfEntry.Length < plan.Entries.Count)
            _lastRowOfEntry = new int[plan.Entries.Count];
        var host = Host.Span;
        int row = 0, sequence = 0, tiles = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int e = 0; e < plan.Entries.Count; e++)
            {
                var entry = plan.Entries[e];
                if ((entry.TokenCount == 1) != (pass == 0))
                    continue;
                WriteSequence(host, layout, sequence, entry, row);
                if (pass == 1)
                {
                    host[layout.TileOffsets + sequence - decodes] = tiles;
                    tiles += PrefillAttentionKernel.TilesFor(entry.TokenCount);
                }
                row += entry.TokenCount;
                _lastRowOfEntry[e] = row - 1;
                sequence++;
            }
            if (pass == 0)
            {
                for (; sequence < paddedDecodes; sequence++, row++)
                    WritePadding(host, layout, sequence, row);
            }
        }
        host[layout.TileOffsets + sequence - decodes] = tiles;
        host[layout.SeqStart + sequence] = row;
        int sampled = 0, mask = 0;
        for (int e = 0; e < plan.Entries.Count; e++)
        {
            var entry = plan.Entries[e];
            if (!entry.Sample)
                continue;
            WriteSampling(host, layout, sampled, entry, _lastRowOfEntry[e]);
            foreach (var id in entry.BannedTokenIds)
            {
                host[layout.MaskRows + mask] = sampled;
                host[layout.MaskIds + mask++] = id;
            }
            sampled++;
        }
        for (; sampled < sampledRows; sampled++)
            WritePaddingSample(host, layout, sampled);
        for (int j = 0; j < logprobJobs.Length; j++)
        {
            host[layout.LogprobRows + j] = logprobJobs[j].Sample;
            host[layout.LogprobTop + j] = logprobJobs[j].Top;
        }
        if (_placeholders.Count > 0)
        {
            host.Slice(layout.SourceRows, row).Fill(-1);
            foreach (var (tokenRow, sampleRow) in _placeholders)
                host[layout.SourceRows + tokenRow] = sampleRow;
        }
        return new StepShape(row, decodes, sequence - decodes, tiles, sampled, masked, layout, _placeholders.Count, logprobJobs.Length);
    }

    /// <summary>Enqueues the upload of what <see cref="Write"/> filled in: one copy.</summary>
    public void Upload(CudaStream stream, StepShape shape) =>
        stream.UploadAsync(_device.Slice(0, shape.Layout.Length), Host, 0);

    private (int Decodes, int Tokens, int SampledRows, int Masked) Count(StepPlan plan, int paddedDecodes)
    {
        int decodes = CountDecodes(plan), tokens = 0, masked = 0;
        foreach (var entry in plan.Entries)
        {
            tokens += entry.TokenCount;
            if (entry.Sample)
                masked += entry.BannedTokenIds.Length;
        }
        if (masked > _maxMasked)
            throw new NotSupportedException($"{masked} banned token ids in one step; the CUDA executor takes at most {_maxMasked}.");
        int padding = Math.Max(0, paddedDecodes - decodes);
        return (decodes + padding, tokens + padding, plan.NumSampled + padding, masked);
    }

    private static int CountDecodes(StepPlan plan)
    {
        int count = 0;
        foreach (var entry in plan.Entries)
            count += entry.TokenCount == 1 ? 1 : 0;
        return count;
    }

    private void WriteSequence(Span<int> host, StepLayout layout, int sequence, ScheduledSequence entry, int row)
    {
        int start = entry.StartPosition, count = entry.TokenCount, context = start + count;
        int blocks = (context + _blockSize - 1) / _blockSize;
        if (blocks > MaxBlocksPerSequence)
            throw new InvalidOperationException($"sequence {entry.RequestId} needs {blocks} KV blocks; the block table holds {MaxBlocksPerSequence}.");
        var table = entry.BlockTable;
        int tableStart = layout.BlockTables + sequence * MaxBlocksPerSequence;
        for (int b = 0; b < blocks; b++)
            host[tableStart + b] = table[b];
        var ids = entry.TokenIds.Span;
        for (int i = 0; i < count; i++)
        {
            int position = start + i;
            host[layout.Tokens + row + i] = ids[i];
            if (ids[i] == IModelExecutor.Placeholder)
                _placeholders.Add((row + i, PreviousSampleRow(entry)));
            host[layout.Positions + row + i] = position;
            host[layout.Slots + row + i] = table[position / _blockSize] * _blockSize + position % _blockSize;
        }
        host[layout.SeqStart + sequence] = row;
        host[layout.ContextLengths + sequence] = context;
    }

    private IReadOnlyDictionary<Sequence, int>? _previousSamples;

    private int PreviousSampleRow(ScheduledSequence entry) =>
        _previousSamples is not null && _previousSamples.TryGetValue(entry.Sequence, out var row)
            ? row
            : throw new InvalidOperationException($"sequence {entry.RequestId} has a token the previous step did not sample.");

    private void WritePadding(Span<int> host, StepLayout layout, int sequence, int row)
    {
        host[layout.Tokens + row] = 0;
        host[layout.Positions + row] = 0;
        host[layout.Slots + row] = -1;
        host[layout.SeqStart + sequence] = row;
        host[layout.ContextLengths + sequence] = 1;
        host[layout.BlockTables + sequence * MaxBlocksPerSequence] = 0;
    }

    private static void WriteSampling(Span<int> host, StepLayout layout, int index, ScheduledSequence entry, int row)
    {
        var sampling = entry.Sampling;
        host[layout.SampleRows + index] = row;
        host[layout.TopK + index] = sampling.TopK;
        host[layout.Temperature + index] = BitConverter.SingleToInt32Bits(sampling.IsGreedy ? 0f : sampling.Temperature);
        host[layout.TopP + index] = BitConverter.SingleToInt32Bits(sampling.TopP);
        host[layout.Steps + index] = entry.OutputIndex;
        host[layout.Seeds + 2 * index] = (int)(uint)entry.Seed;
        host[layout.Seeds + 2 * index + 1] = (int)(uint)(entry.Seed >> 32);
    }

    private static void WritePaddingSample(Span<int> host, StepLayout layout, int index)
    {
        host[layout.SampleRows + index] = index;
        host[layout.TopK + index] = 0;
        host[layout.Temperature + index] = 0;
        host[layout.TopP + index] = BitConverter.SingleToInt32Bits(1f);
        host[layout.Steps + index] = 0;
        host[layout.Seeds + 2 * index] = 0;
        host[layout.Seeds + 2 * index + 1] = 0;
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
        _device.Dispose();
    }
}
