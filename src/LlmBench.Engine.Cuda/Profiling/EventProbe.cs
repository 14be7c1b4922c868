using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda.Profiling;

/// <summary>
/// Records a CUDA event after every call of a forward pass; the time between consecutive events is the call's time.
/// The events are created once (enough for the largest model's pass) and reused for every profiled step.
/// </summary>
internal sealed class EventProbe : ILaunchProbe, IDisposable
{
    private readonly CudaEvent[] _events;
    private readonly List<(KernelRole Role, int Layer, bool OurKernel)> _calls = [];

    public EventProbe(GpuDevice device, int maxCalls)
    {
        _events = new CudaEvent[maxCalls + 1];
        for (int i = 0; i < _events.Length; i++)
            _events[i] = device.CreateEvent();
    }

    /// <summary>Forgets the last pass and records the start event.</summary>
    public void Begin(CudaStream stream)
    {
        _calls.Clear();
        _events[0].Record(stream);
    }

    public void After(CudaStream stream, KernelRole role, int layer, bool ourKernel = true)
    {
        if (_calls.Count + 1 >= _events.Length)
            throw new InvalidOperationException($"the pass made more than {_events.Length - 1} calls; the probe was sized too small.");
        _calls.Add((role, layer, ourKernel));
        _events[_calls.Count].Record(stream);
    }

    /// <summary>Each call's milliseconds, in order; the stream must have completed the pass.</summary>
    public IReadOnlyList<(KernelRole Role, int Layer, bool OurKernel, double Milliseconds)> Read()
    {
        var result = new (KernelRole, int, bool, double)[_calls.Count];
        for (int i = 0; i < _calls.Count; i++)
        {
            var (role, layer, ours) = _calls[i];
            result[i] = (role, layer, ours, CudaEvent.ElapsedMilliseconds(_events[i], _events[i + 1]));
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var e in _events)
            e.Dispose();
    }
}
