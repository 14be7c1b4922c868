using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>A step's input regions on the device, as kernels read them.</summary>
internal readonly struct StepViews(DeviceSpan<int> buffer, StepShape shape)
{
    private readonly StepLayout _layout = shape.Layout;

    public DeviceSpan<int> Tokens => buffer.Slice(_layout.Tokens, shape.Tokens);
    public DeviceSpan<int> Positions => buffer.Slice(_layout.Positions, shape.Tokens);
    public DeviceSpan<int> Slots => buffer.Slice(_layout.Slots, shape.Tokens);
    public DeviceSpan<int> SourceRows => buffer.Slice(_layout.SourceRows, shape.Tokens);
    public DeviceSpan<int> SeqStart => buffer.Slice(_layout.SeqStart, shape.Sequences + 1);
    public DeviceSpan<int> ContextLengths => buffer.Slice(_layout.ContextLengths, shape.Sequences);
    public DeviceSpan<int> TileOffsets => buffer.Slice(_layout.TileOffsets, shape.PrefillSequences + 1);
    public DeviceSpan<int> SampleRows => buffer.Slice(_layout.SampleRows, shape.SampledRows);
    public DeviceSpan<int> TopK => buffer.Slice(_layout.TopK, shape.SampledRows);
    public DeviceSpan<float> Temperature => buffer.Slice(_layout.Temperature, shape.SampledRows).Cast<float>();
    public DeviceSpan<float> TopP => buffer.Slice(_layout.TopP, shape.SampledRows).Cast<float>();
    public DeviceSpan<int> Steps => buffer.Slice(_layout.Steps, shape.SampledRows);
    public DeviceSpan<ulong> Seeds => buffer.Slice(_layout.Seeds, 2L * shape.SampledRows).Cast<ulong>();
    public DeviceSpan<int> MaskRows => buffer.Slice(_layout.MaskRows, shape.MaskCount);
    public DeviceSpan<int> MaskIds => buffer.Slice(_layout.MaskIds, shape.MaskCount);
    public DeviceSpan<int> BlockTables => buffer.Slice(_layout.BlockTables, _layout.LogprobRows - _layout.BlockTables);
    public DeviceSpan<int> LogprobRows => buffer.Slice(_layout.LogprobRows, shape.LogprobJobs);
    public DeviceSpan<int> LogprobTop => buffer.Slice(_layout.LogprobTop, shape.LogprobJobs);
}
