using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>A captured sequence of GPU work, not yet runnable: <see cref="Instantiate"/> makes a <see cref="CudaGraphExec"/>.</summary>
public sealed class CudaGraph : IDisposable
{
    private readonly GpuDevice _device;

    internal CudaGraph(GpuDevice device, CudaGraphHandle handle)
    {
        _device = device;
        Handle = handle;
    }

    internal CudaGraphHandle Handle { get; }

    public bool IsDisposed => Handle.IsClosed;

    public int NodeCount
    {
        get
        {
            nuint count = 0;
            CudaCheck.ThrowIfFailed(CudaDriver.cuGraphGetNodes(Handle, 0, ref count));
            return (int)count;
        }
    }

    public CudaGraphExec Instantiate()
    {
        _device.MakeCurrent();
        CudaCheck.ThrowIfFailed(CudaDriver.cuGraphInstantiateWithFlags(out var raw, Handle, 0));
        return new CudaGraphExec(new CudaGraphExecHandle(_device.Context, raw));
    }

    public void Dispose() => Handle.Dispose();
}

/// <summary>An instantiated graph: replays all its work with one launch.</summary>
public sealed class CudaGraphExec : IDisposable
{
    internal CudaGraphExec(CudaGraphExecHandle handle) => Handle = handle;

    internal CudaGraphExecHandle Handle { get; }

    public bool IsDisposed => Handle.IsClosed;

    public void Launch(CudaStream stream) => CudaCheck.ThrowIfFailed(CudaDriver.cuGraphLaunch(Handle, stream.Handle));

    /// <summary>
    /// Takes the parameters of <paramref name="graph"/> (same topology, new kernel arguments or copy addresses)
    /// without re-instantiating. False when the topology differs and the caller must instantiate afresh.
    /// </summary>
    public bool TryUpdate(CudaGraph graph)
    {
        var result = CudaDriver.cuGraphExecUpdate_v2(Handle, graph.Handle, out _);
        if (result == CudaResult.CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE)
            return false;
        CudaCheck.ThrowIfFailed(result);
        return true;
    }

    public void Dispose() => Handle.Dispose();
}
