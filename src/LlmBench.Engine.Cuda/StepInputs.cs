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
    private readonly PinnedHostBuffer<int> _host;
    private readonly DeviceBuffer<int> _device;
    private readonly StepLayout _layout;
    private readonly int _blockSize;
    private readonly int[] _lastRowOfEntry;

    public StepInputs(GpuDevice device, int maxTokens, int maxSequences, int maxBlocksPerSequence, int blockSize, int maxMasked)
    {
        _layout = new StepLayout(maxTokens, maxSequences, maxBlocksPerSequence, maxMasked);
        _host = device.AllocatePinned<int>(_layout.Length);
        _device = device.Allocate<int>(_layout.Length);
        _blockSize = blockSize;
        _lastRowOfEntry = new int[maxTokens];
        MaxBlocksPerSequence = maxBlocksPerSequence;
    }

    public int MaxBlocksPerSequence { get; }
    public DeviceSpan<int> Tokens => Region(_layout.Tokens, _layout.MaxTokens);
    public DeviceSpan<int> Positions => Region(_layout.Positions, _layout.MaxTokens);
    public DeviceSpan<int> Slots => Region(_layout.Slots, _layout.MaxTokens);
    public DeviceSpan<int> SeqStart => Region(_layout.SeqStart, _layout.MaxSequences + 1);
    public DeviceSpan<int> ContextLengths => Region(_layout.ContextLengths, _layout.MaxSequences);
    public DeviceSpan<int> TileOffsets => Region(_layout.TileOffsets, _layout.MaxSequences + 1);
    public DeviceSpan<int> SampleRows => Region(_layout.SampleRows, _layout.MaxSequences);
    public DeviceSpan<int> TopK => Region(_layout.TopK, _layout.MaxSequences);
    public DeviceSpan<float> Temperature => Region(_layout.Temperature, _layout.MaxSequences).Cast<float>();
    public DeviceSpan<float> TopP => Region(_layout.TopP, _layout.MaxSequences).Cast<float>();
    public DeviceSpan<int> Steps => Region(_layout.Steps, _layout.MaxSequences);
    public DeviceSpan<ulong> Seeds => Region(_layout.Seeds, 2 * _layout.MaxSequences).Cast<ulong>();
    public DeviceSpan<int> MaskRows => Region(_layout.MaskRows, _layout.MaxMasked);
    public DeviceSpan<int> MaskIds => Region(_layout.MaskIds, _layout.MaxMasked);
    public DeviceSpan<int> BlockTables => Region(_layout.BlockTables, (long)_layout.MaxSequences * MaxBlocksPerSequence);

    /// <summary>
    /// Writes <paramref name="plan"/> into the staging buffer; with <paramref name="paddedDecodes"/> above the plan's
    /// size (decode-only plans run by a graph), dummy one-token sequences fill the rest: they store nothing
    /// (slot -1), attend one key of block 0, and their samples are dropped.
    /// </summary>
    public StepShape Write(StepPlan plan, int paddedDecodes = 0)
    {
        var host = _host.Span;
        int decodes = DecodeCount(plan, paddedDecodes);
        int row = 0, sequence = 0, tiles = 0, masked = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int e = 0; e < plan.Entries.Count; e++)
            {
                var entry = plan.Entries[e];
                if ((entry.TokenCount == 1) != (pass == 0))
                    continue;
                WriteSequence(host, sequence, entry, row);
                if (pass == 1)
                {
                    host[_layout.TileOffsets + sequence - decodes] = tiles;
                    tiles += PrefillAttentionKernel.TilesFor(entry.TokenCount);
                }
                row += entry.TokenCount;
                _lastRowOfEntry[e] = row - 1;
                sequence++;
            }
            if (pass == 0)
            {
                for (; sequence < paddedDecodes; sequence++, row++)
                    WritePadding(host, sequence, row);
            }
        }
        host[_layout.TileOffsets + sequence - decodes] = tiles;
        host[_layout.SeqStart + sequence] = row;
        int sampled = 0;
        for (int e = 0; e < plan.Entries.Count; e++)
        {
            var entry = plan.Entries[e];
            if (!entry.Sample)
                continue;
            WriteSampling(host, sampled, entry, _lastRowOfEntry[e]);
            foreach (var id in entry.BannedTokenIds)
            {
                if (masked == _layout.MaxMasked)
                    throw new NotSupportedException($"more than {_layout.MaxMasked} banned token ids in one step.");
                host[_layout.MaskRows + masked] = sampled;
                host[_layout.MaskIds + masked++] = id;
            }
            sampled++;
        }
        for (; sampled < paddedDecodes; sampled++)
            WritePaddingSample(host, sampled);
        return new StepShape(row, decodes, sequence - decodes, tiles, sampled, masked);
    }

    /// <summary>Enqueues the uploads of what <see cref="Write"/> filled in.</summary>
    public void Upload(CudaStream stream, StepShape shape)
    {
        stream.UploadAsync(Tokens.Slice(0, shape.Tokens), _host, _layout.Tokens);
        stream.UploadAsync(Positions.Slice(0, shape.Tokens), _host, _layout.Positions);
        stream.UploadAsync(Slots.Slice(0, shape.Tokens), _host, _layout.Slots);
        stream.UploadAsync(Region(_layout.SeqStart, _layout.PerSequenceLength), _host, _layout.SeqStart);
        stream.UploadAsync(MaskRows.Slice(0, shape.MaskCount), _host, _layout.MaskRows);
        stream.UploadAsync(MaskIds.Slice(0, shape.MaskCount), _host, _layout.MaskIds);
        stream.UploadAsync(BlockTables.Slice(0, (long)shape.Sequences * MaxBlocksPerSequence), _host, _layout.BlockTables);
    }

    private static int DecodeCount(StepPlan plan, int paddedDecodes)
    {
        int count = 0;
        foreach (var entry in plan.Entries)
            count += entry.TokenCount == 1 ? 1 : 0;
        return Math.Max(paddedDecodes, count);
    }

    private void WriteSequence(Span<int> host, int sequence, ScheduledSequence entry, int row)
    {
        int start = entry.StartPosition, count = entry.TokenCount, context = start + count;
        int blocks = (context + _blockSize - 1) / _blockSize;
        if (blocks > MaxBlocksPerSequence)
            throw new InvalidOperationException($"sequence {entry.RequestId} needs {blocks} KV blocks; the block table holds {MaxBlocksPerSequence}.");
        var table = entry.BlockTable;
        int tableStart = _layout.BlockTables + sequence * MaxBlocksPerSequence;
        for (int b = 0; b < blocks; b++)
            host[tableStart + b] = table[b];
        var ids = entry.TokenIds.Span;
        for (int i = 0; i < count; i++)
        {
            int position = start + i;
            host[_layout.Tokens + row + i] = ids[i];
            host[_layout.Positions + row + i] = position;
            host[_layout.Slots + row + i] = table[position / _blockSize] * _blockSize + position % _blockSize;
        }
        host[_layout.SeqStart + sequence] = row;
        host[_layout.ContextLengths + sequence] = context;
    }

    private void WritePadding(Span<int> host, int sequence, int row)
    {
        host[_layout.Tokens + row] = 0;
        host[_layout.Positions + row] = 0;
        host[_layout.Slots + row] = -1;
        host[_layout.SeqStart + sequence] = row;
        host[_layout.ContextLengths + sequence] = 1;
        host[_layout.BlockTables + sequence * MaxBlocksPerSequence] = 0;
    }

    private void WriteSampling(Span<int> host, int index, ScheduledSequence entry, int row)
    {
        var sampling = entry.Sampling;
        host[_layout.SampleRows + index] = row;
        host[_layout.TopK + index] = sampling.TopK;
        host[_layout.Temperature + index] = BitConverter.SingleToInt32Bits(sampling.IsGreedy ? 0f : sampling.Temperature);
        host[_layout.TopP + index] = BitConverter.SingleToInt32Bits(sampling.TopP);
        host[_layout.Steps + index] = entry.OutputIndex;
        host[_layout.Seeds + 2 * index] = (int)(uint)entry.Seed;
        host[_layout.Seeds + 2 * index + 1] = (int)(uint)(entry.Seed >> 32);
    }

    private void WritePaddingSample(Span<int> host, int index)
    {
        host[_layout.SampleRows + index] = index;
        host[_layout.TopK + index] = 0;
        host[_layout.Temperature + index] = 0;
        host[_layout.TopP + index] = BitConverter.SingleToInt32Bits(1f);
        host[_layout.Steps + index] = 0;
        host[_layout.Seeds + 2 * index] = 0;
        host[_layout.Seeds + 2 * index + 1] = 0;
    }

    private DeviceSpan<int> Region(int offset, long length) => _device.Slice(offset, length);

    public void Dispose()
    {
        _host.Dispose();
        _device.Dispose();
    }
}
