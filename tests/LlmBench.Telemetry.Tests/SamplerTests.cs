using LlmBench.Gpu;
using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry.Tests;

public class SamplerTests
{
    /// <summary>A source whose energy counter advances by 10 J per read, and which can be told to fail.</summary>
    private sealed class CountingSource : IGpuSampleSource
    {
        private long _energy;

        public int Reads { get; private set; }

        public bool Fail { get; set; }

        public IReadOnlyList<(int Index, string Name)> Gpus { get; } = [(0, "gpu a"), (3, "gpu b")];

        public IReadOnlyList<NvmlReading> ReadAll()
        {
            if (Fail)
                throw new GpuException("simulated NVML timeout");
            Reads++;
            _energy += 10_000;
            return [Readings.Make(energyMillijoules: _energy), Readings.Make(energyMillijoules: 2 * _energy)];
        }
    }

    [Fact]
    public async Task Sampler_ReadsAtItsRate_AndStopsCleanly()
    {
        var source = new CountingSource();
        using var sampler = new GpuSampler(source, TimeSpan.FromMilliseconds(20));
        var rounds = 0;
        sampler.SamplesTaken += round => Interlocked.Increment(ref rounds);
        sampler.Start();
        await Task.Delay(500, TestContext.Current.CancellationToken);
        sampler.Stop();
        sampler.Stop();
        var samples = sampler.Snapshot();
        var countAfterStop = samples.Count;

        Assert.InRange(source.Reads, 10, 30); // 25 at 20 ms on an idle machine; CI machines are busy
        Assert.Equal(source.Reads * 2, samples.Count);
        Assert.Equal(source.Reads, rounds);
        Assert.Equal([0, 3], samples.Take(2).Select(s => s.GpuIndex));
        Assert.True(samples.Zip(samples.Skip(2)).All(p => p.Second.ElapsedSeconds >= p.First.ElapsedSeconds));
        await Task.Delay(60, TestContext.Current.CancellationToken);
        Assert.Equal(countAfterStop, sampler.Snapshot().Count);

        var summary = sampler.Summarize();
        Assert.Equal(source.Reads, summary.Gpus[0].SampleCount);
        Assert.Equal((source.Reads - 1) * 10.0, summary.Gpus[0].EnergyJoules);
        Assert.Equal((source.Reads - 1) * 20.0, summary.Gpus[1].EnergyJoules);
    }

    [Fact]
    public async Task FailedReads_AreCounted_NotFatal()
    {
        var source = new CountingSource { Fail = true };
        using var sampler = new GpuSampler(source, TimeSpan.FromMilliseconds(10));
        sampler.Start();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        source.Fail = false;
        await Task.Delay(100, TestContext.Current.CancellationToken);
        sampler.Stop();
        Assert.True(sampler.FailedReads > 0);
        Assert.IsType<GpuException>(sampler.LastError);
        Assert.NotEmpty(sampler.Snapshot());
    }

    [Fact]
    public void Sampler_RejectsANonPositiveInterval_AndADoubleStart()
    {
        Assert.Throws<ArgumentException>(() => new GpuSampler(new CountingSource(), TimeSpan.Zero));
        using var sampler = new GpuSampler(new CountingSource());
        Assert.Equal(TimeSpan.FromMilliseconds(100), sampler.Interval);
        sampler.Start();
        Assert.Throws<InvalidOperationException>(sampler.Start);
    }
}
