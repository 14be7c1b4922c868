using LlmBench.Engine.Api;
using LlmBench.Gpu;
using LlmBench.Kernels;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// The device buffer a step samples into and its two pinned host copies (overlapped steps alternate between them),
/// laid out so that one copy reads a step back: sampled ids [rows], then each id's logit [rows] (fp32 bits), then
/// one <see cref="LogprobKernel.RecordLength"/>-int record per log-probability job. A step without jobs copies the
/// ids alone. Allocated once, for the largest step.
/// </summary>
internal sealed class SampleOutputs : IDisposable
{
    private readonly int _rows;
    private readonly int _vocab;
    private readonly DeviceBuffer<int> _device;
    private readonly PinnedHostBuffer<int>[] _hosts;

    public SampleOutputs(GpuDevice device, int maxRows, int vocab)
    {
        (_rows, _vocab) = (maxRows, vocab);
        long length = (2L * maxRows) + ((long)maxRows * LogprobKernel.RecordLength);
        _device = device.Allocate<int>(length);
        _hosts = [device.AllocatePinned<int>(checked((int)length)), device.AllocatePinned<int>(checked((int)length))];
        Targets = new SampleTargets(_device.View.Slice(0, maxRows), _device.View.Slice(maxRows, maxRows).Cast<float>(),
            _device.View.Slice(2L * maxRows));
    }

    public SampleTargets Targets { get; }

    /// <summary>Enqueues the read-back of a step with <paramref name="jobs"/> log-probability jobs into host copy <paramref name="slot"/>.</summary>
    public void Download(CudaStream stream, int slot, int jobs)
    {
        long length = jobs == 0 ? _rows : (2L * _rows) + ((long)jobs * LogprobKernel.RecordLength);
        stream.DownloadPrefixAsync(_hosts[slot], _device.View.Slice(0, length));
    }

    public ReadOnlySpan<int> Ids(int slot, int count) => _hosts[slot].Span[..count];

    /// <summary>
    /// Each job's log probabilities into its sample's slot of <paramref name="logprobs"/>, null elsewhere: the sampled
    /// token's is its logit minus the row's log-normalizer, in double as LogprobCalculator takes it.
    /// </summary>
    public void ReadLogprobs(int slot, ReadOnlySpan<LogprobJob> jobs, Span<TokenLogprobs?> logprobs)
    {
        logprobs.Clear();
        var host = _hosts[slot].Span;
        for (int j = 0; j < jobs.Length; j++)
        {
            var job = jobs[j];
            var record = new LogprobRecord(host.Slice((2 * _rows) + (j * LogprobKernel.RecordLength), LogprobKernel.RecordLength));
            int count = Math.Min(job.Top, Math.Min(LogprobKernel.MaxTop, _vocab)); // as the kernel clamps
            var top = new TopLogprob[count];
            for (int t = 0; t < count; t++)
                top[t] = new TopLogprob(record.TokenId(t), record.Logprob(t));
            float sampledLogit = BitConverter.Int32BitsToSingle(host[_rows + job.Sample]);
            logprobs[job.Sample] = new TokenLogprobs((float)((double)sampledLogit - record.LogNormalizer), top);
        }
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
            host.Dispose();
        _device.Dispose();
    }
}
