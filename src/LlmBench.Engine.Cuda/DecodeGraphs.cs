using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// One CUDA graph per decode batch size, captured once at start-up against the fixed input and scratch buffers;
/// a decode step of b sequences replays the graph of the smallest captured size ≥ b, padded with dummy sequences.
/// The graphs hold no log-probability kernel: a step that asks for them launches it after the replay.
/// </summary>
internal sealed class DecodeGraphs : IDisposable
{
    private readonly SortedDictionary<int, CudaGraphExec> _graphs = [];

    public DecodeGraphs(CudaStream stream, CudaForwardPass forward, StepInputs inputs, SampleTargets sampled, IEnumerable<int> batchSizes)
    {
        // The executor ran an eager pass first, so lazy initialization in cuBLASLt and the modules is behind us.
        foreach (var size in batchSizes)
        {
            var shape = StepShape.Decode(size, inputs.MaxBlocksPerSequence);
            using var graph = stream.Capture(s => forward.Enqueue(s, shape, sampled));
            _graphs[size] = graph.Instantiate();
        }
    }

    public int Count => _graphs.Count;

    /// <summary>The captured size a decode step of <paramref name="sequences"/> pads up to, or 0 when none fits.</summary>
    public int PaddedSize(int sequences)
    {
        foreach (var size in _graphs.Keys)
        {
            if (size >= sequences)
                return size;
        }
        return 0;
    }

    public void Launch(CudaStream stream, int paddedSize) => _graphs[paddedSize].Launch(stream);

    public void Dispose()
    {
        foreach (var graph in _graphs.Values)
            graph.Dispose();
    }
}
