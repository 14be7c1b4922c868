using LlmBench.Reports.Compare;
using LlmBench.Reports.Cost;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Tests.Reading;

namespace LlmBench.Reports.Tests.Reporting;

public sealed class CompareAndCostTests
{
    private static ResultDocument Fixture(params string[] path) => ResultReader.Read(ResultFixtures.Path(path));

    [Fact]
    public void Cost_of_25000_tok_s_at_3_50_an_hour()
    {
        var c = CostEstimate.Compute(25000, 3.5, joulesPerOutputToken: 0.36, kwhPrice: 0.10);
        Assert.Equal(3.5 / 90e6 * 1e6, c.DollarsPerMillionOutputTokens, 12); // $0.03889 per 1M output tokens
        Assert.Equal(0.038888888888889, c.DollarsPerMillionOutputTokens, 12);
        Assert.Equal(90e6 / 3.5, c.OutputTokensPerDollar, 6); // 25,714,285.7 tokens per $
        Assert.Equal(7142.857142857143, c.TokensPerSecondPerDollarHour, 9);
        Assert.Equal(0.01, c.EnergyDollarsPerMillionOutputTokens!.Value, 12); // 0.36 J × 10⁶ = 0.1 kWh at $0.10
    }

    [Fact]
    public void Cost_refuses_a_zero_throughput_or_price()
    {
        Assert.Throws<ArgumentException>(() => CostEstimate.Compute(0, 3.5));
        Assert.Throws<ArgumentException>(() => CostEstimate.Compute(100, 0));
    }

    [Fact]
    public void Compare_two_runs_gives_ratios_to_the_first_and_energy_per_token()
    {
        var c = Comparison.Build([Fixture("h200", "result.json"), Fixture("h100", "result.json")], [8.0, 4.0], kwhPrice: 0.2);
        ComparisonRow Row(string metric) => c.Rows.Single(r => r.Metric == metric);
        Assert.Equal([20000.0, 16000.0], Row("score (output tok/s)").Values.Select(v => v!.Value));
        Assert.Equal("16000.0 (0.80×)", Row("score (output tok/s)").Cell(1));
        // 500 W for 300 s over 6,000,000 and 4,800,000 tokens.
        Assert.Equal([0.025, 0.03125], Row("J per output token").Values.Select(v => v!.Value));
        Assert.Equal([40.0, 32.0], Row("output tok/s per W").Values.Select(v => v!.Value));
        Assert.Equal([40.0, 40.0], Row("fraction of floor (%)").Values.Select(v => v!.Value));
        // $8/h over 72M tokens/h = $0.1111 per 1M; $4/h over 57.6M = $0.06944.
        Assert.Equal(8.0 / 72.0, Row("$ per 1M output tokens").Values[0]!.Value, 12);
        Assert.Equal(4.0 / 57.6, Row("$ per 1M output tokens").Values[1]!.Value, 12);
        Assert.Equal([2500.0, 4000.0], Row("output tok/s per $/h").Values.Select(v => v!.Value));
        Assert.Equal(0.025 * 1e6 / 3.6e6 * 0.2, Row("energy $ per 1M output tokens").Values[0]!.Value, 12);
        Assert.Equal("| score (output tok/s) | 20000.0 | 16000.0 (0.80×) |", c.ToMarkdown().Split('\n').Single(l => l.StartsWith("| score", StringComparison.Ordinal)));
        Assert.Equal("| GPU | NVIDIA H200 | NVIDIA H100 80GB HBM3 |", c.ToMarkdown().Split('\n').Single(l => l.StartsWith("| GPU", StringComparison.Ordinal)));
    }

    [Fact]
    public void Results_of_different_kv_cache_dtypes_stay_separate_columns_with_a_dtypes_row()
    {
        var folder = Directory.CreateTempSubdirectory("llmbench-dtypes-").FullName;
        try
        {
            string Write(string name, string? kvDtype)
            {
                var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(ResultFixtures.Path("h100", "result.json")))!.AsObject();
                if (kvDtype is not null)
                    root["configuration"]!["engine_options"]!["kv_cache_dtype"] = kvDtype;
                var path = Path.Combine(folder, name + ".json");
                File.WriteAllText(path, root.ToJsonString());
                return path;
            }

            var c = Comparison.Build([ResultReader.Read(Write("bf16", "bf16")), ResultReader.Read(Write("fp8", "fp8_e4m3")), ResultReader.Read(Write("old", null))]);
            Assert.Equal(["weights bf16, KV bf16", "weights bf16, KV fp8_e4m3", "-"], c.Dtypes);
            Assert.Equal(3, c.Columns.Count);
            Assert.Contains("| dtypes | weights bf16, KV bf16 | weights bf16, KV fp8_e4m3 | - |", c.ToMarkdown(), StringComparison.Ordinal);
            Assert.Contains(c.Notes, n => n.Contains("different dtypes", StringComparison.Ordinal));
            var same = Comparison.Build([ResultReader.Read(Write("a", "bf16")), ResultReader.Read(Write("b", "bf16"))]);
            Assert.DoesNotContain(same.Notes, n => n.Contains("different dtypes", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Compare_refuses_different_workloads_and_names_the_field()
    {
        var ex = Assert.Throws<ReportException>(() => Comparison.Build([Fixture("serve", "serve-c8.json"), Fixture("serve", "serve-c32.json")]));
        Assert.Equal("serve/serve-c8 and serve/serve-c32 are different workloads (max concurrency is \"8\" in one and \"32\" in the other), so compare will not rank them.", ex.Message);
        var kinds = Assert.Throws<ReportException>(() => Comparison.Build([Fixture("h200", "result.json"), Fixture("sweep", "sweep.json")]));
        Assert.Equal("h200/result is a run result and sweep/sweep a sweep result: compare ranks results of one workload only.", kinds.Message);
    }

    [Fact]
    public void Serve_results_of_one_workload_compare_with_energy_from_gpu_telemetry()
    {
        var c = Comparison.Build([Fixture("serve", "serve-c8.json"), Fixture("serve", "serve-c8.json")]);
        Assert.Equal([900.0, 900.0], c.Rows[0].Values.Select(v => v!.Value));
        Assert.Equal(8.0, c.Rows.Single(r => r.Metric == "J per output token").Values[0]!.Value);
        Assert.Equal("-", c.Rows.Single(r => r.Metric == "fraction of floor (%)").Cell(0));
    }

    [Fact]
    public void A_user_price_file_overrides_the_built_in_entry_and_adds_its_own()
    {
        var file = Path.Combine(Path.GetTempPath(), $"llmbench-prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"prices": [{"key": "h100", "gpu_count": 8, "on_demand_per_hour": 40, "as_of": "2030-01"}, {"key": "my-l4", "on_demand_per_hour": 0.7}]}""");
        try
        {
            var table = PriceTable.Load(file);
            Assert.Equal(5.0, table.Find("H100").PerGpuHour);
            Assert.Equal(file, table.Find("h100").Source);
            Assert.Equal(0.7, table.Find("my-l4").PerGpuHour);
            Assert.Equal("AWS", table.Find("h200").Provider);
            var ex = Assert.Throws<ReportException>(() => table.Find("nope"));
            Assert.StartsWith("no price for GPU \"nope\" (known: ", ex.Message, StringComparison.Ordinal);
            Assert.EndsWith("give --price-per-hour or add it to $LLMBENCH_HOME/prices.json.", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("""{"prices": [{"key": "x"}]}""", "prices[0] needs a \"key\", a positive \"on_demand_per_hour\" and a whole \"gpu_count\" of at least 1.")]
    [InlineData("""{"prices": [{"key": "x", "on_demand_per_hour": 2, "gpu_count": 0}]}""", "prices[0] needs")]
    [InlineData("""{"gpus": []}""", "has no \"prices\" array")]
    [InlineData("""{"prices": [""", "is not valid JSON")]
    public void A_bad_price_file_is_one_sentence_naming_it(string json, string message)
    {
        var ex = Assert.Throws<ReportException>(() => PriceFile.Parse("prices.json", json));
        Assert.StartsWith("prices.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_built_in_price_names_its_instance_and_a_dated_source()
    {
        Assert.NotEmpty(PriceTable.BuiltIn);
        Assert.Equal(PriceTable.BuiltIn.Count, PriceTable.BuiltIn.Select(p => p.Key.ToLowerInvariant()).Distinct().Count());
        Assert.All(PriceTable.BuiltIn, p =>
        {
            Assert.False(string.IsNullOrWhiteSpace(p.Provider));
            Assert.NotEqual("-", p.InstanceType);
            Assert.InRange(p.GpuCount, 1, 16);
            Assert.True(p.OnDemandPerHour > 0);
            Assert.True(DateOnly.TryParseExact(p.AsOf, "yyyy-MM-dd", out _), $"{p.Key}: as_of {p.AsOf} is not a date");
            Assert.StartsWith("https://", p.Source, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(p.SourceNote));
        });
    }

    [Fact]
    public void The_built_in_h100_is_aws_p5_at_its_sourced_price()
    {
        var p = PriceTable.Load(null).Find("h100");
        Assert.Equal(("AWS", "p5.48xlarge", 8, 55.04, "2026-11-09"), (p.Provider, p.InstanceType, p.GpuCount, p.OnDemandPerHour, p.AsOf));
        Assert.Equal(6.88, p.PerGpuHour, 12);
        Assert.Equal("AWS p5.48xlarge (8× H100 SXM 80GB) $55.04/h on demand in us-east-1, as of 2026-11-09, $6.88 per GPU-hour", p.Describe());
    }
}
