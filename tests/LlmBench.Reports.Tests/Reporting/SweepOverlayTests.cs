using LlmBench.Reports.Html;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Tests.Reading;

namespace LlmBench.Reports.Tests.Reporting;

/// <summary>Two sweeps (say CUDA graphs and --enforce-eager) share one chart, a line per result, backend and lengths.</summary>
public class SweepOverlayTests
{
    [Fact]
    public void TwoSweeps_AreDrawnTogether_OneLinePerResultBackendAndLengths()
    {
        var sweep = ResultReader.Read(ResultFixtures.Path("sweep", "sweep.json"));
        var copy = Path.Combine(Path.GetTempPath(), $"llmbench-overlay-{Guid.NewGuid():N}", "eager", "sweep.json");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(ResultFixtures.Path("sweep", "sweep.json"), copy);
        try
        {
            var other = ResultReader.Read(copy);
            var single = ResultReport.Build([sweep]);
            var both = ResultReport.Build([sweep, other]);

            Assert.DoesNotContain(single.Charts, c => c.Id == "sweeps-throughput-vs-batch");
            var overlay = Assert.Single(both.Charts, c => c.Id == "sweeps-throughput-vs-batch");
            var perSweep = Assert.Single(single.Charts, c => c.Id == "sweep-throughput-vs-batch").Series.Count;
            Assert.Equal(2 * perSweep, overlay.Series.Count);
            Assert.Equal(overlay.Series.Count, overlay.Series.Select(s => s.Name).Distinct().Count());
            Assert.Contains(both.Charts, c => c.Id == "sweeps-tpot-vs-batch");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(copy))!, recursive: true);
        }
    }
}
