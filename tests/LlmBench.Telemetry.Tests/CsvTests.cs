using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry.Tests;

public class CsvTests
{
    [Fact]
    public void Rows_HaveEveryColumn_AndLeaveUnsupportedFieldsEmpty()
    {
        var full = CsvSampleWriter.FormatRow(Readings.At(1.5, Readings.Make(energyMillijoules: 12_345_678, reasons: ClockEventReasons.SoftwarePowerCap)));
        var columns = CsvSampleWriter.Header.Split(',').Length;
        Assert.Equal(columns, full.Split(',').Length);
        Assert.Equal("1970-01-01T00:00:01.500Z,1.500,0,50,20,4096,81920,60,100.00,12345.678,1980,2619,P0,sw-power", full);

        var sparse = CsvSampleWriter.FormatRow(Readings.At(0, new NvmlReading(null, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal("1970-01-01T00:00:00.000Z,0.000,0,,,,,,,,,,,", sparse);
    }

    [Fact]
    public void EachRound_IsOnDiskBeforeTheNextOne()
    {
        var path = Path.Combine(Path.GetTempPath(), $"llmbench-monitor-{Guid.NewGuid():N}.csv");
        try
        {
            using (var writer = CsvSampleWriter.Create(path))
            {
                writer.Write([Readings.At(0, Readings.Make()), Readings.At(0, Readings.Make(), gpu: 1)]);
                // Read while the writer is still open, as after a Ctrl-C.
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(3, lines.Length);
                Assert.Equal(CsvSampleWriter.Header, lines[0]);
            }

            Assert.Equal(3, File.ReadAllLines(path).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
