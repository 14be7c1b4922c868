using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Results;
using LlmBench.Reports.Tests.Results;

namespace LlmBench.Reports.Tests.Reading;

public sealed class ResultReaderTests
{
    [Theory]
    [InlineData("h200/result.json", "run")]
    [InlineData("legacy/run-without-kind.json", "run")]
    [InlineData("serve/serve-c8.json", "serve")]
    [InlineData("sweep/sweep.json", "sweep")]
    public void Reads_the_kind_from_result_kind_or_by_shape(string file, string kind) =>
        Assert.Equal(kind, ResultReader.Read(ResultFixtures.Path(file.Split('/'))).Kind);

    [Fact]
    public void Throughput_json_carries_result_kind_and_reads_back_as_throughput()
    {
        var json = ThroughputResultJson.Build(SampleResults.Throughput());
        Assert.Equal("throughput", json["llmbench"]!["result_kind"]!.GetValue<string>());
        Assert.Equal(ResultKinds.Throughput, ResultReader.Parse("tp.json", json.ToJsonString()).Kind);
        json["llmbench"]!.AsObject().Remove("result_kind");
        Assert.Equal(ResultKinds.Throughput, ResultReader.Parse("tp.json", json.ToJsonString()).Kind);
    }

    [Fact]
    public void A_folder_is_searched_with_its_subfolders_and_non_results_are_skipped()
    {
        var all = ResultReader.ReadAll([ResultFixtures.Path("serve"), ResultFixtures.Path("h200", "result.json")]);
        Assert.Equal(["serve", "serve", "serve", "run"], all.Select(r => r.Kind));
    }

    [Theory]
    [InlineData("not-json.json", "is not valid JSON (line 1, byte 2).")]
    [InlineData("truncated.json", "is truncated: its JSON stops before the end")]
    [InlineData("future-version.json", "has schema_version 99, and this llmbench reads schema_version 1 only.")]
    [InlineData("unknown-kind.json", "has result_kind \"banana\", which this llmbench does not know (it reads run, throughput, serve, sweep, latency, profile).")]
    [InlineData("empty-folder", "holds no llmbench result files (*.json with a schema_version).")]
    [InlineData("missing.json", "does not exist.")]
    public void Bad_inputs_give_one_sentence_naming_the_file(string name, string message)
    {
        var path = ResultFixtures.Path("bad", name);
        var ex = Assert.Throws<ResultFileException>(() => ResultReader.ReadAll([path]));
        Assert.StartsWith(path + " ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_folder_of_every_command_s_results_reads_whole()
    {
        // The H200 results of 2026-12-04, as the commands saved them: run, sweeps, serve, latency and profile.
        var all = ResultReader.ReadAll([ResultFixtures.Docs("h200-2026-12-04")]);
        Assert.Equal(["latency", "profile", "profile", "profile", "run", "serve", "sweep", "sweep", "sweep", "sweep"], all.Select(r => r.Kind).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Json_that_is_not_a_result_is_refused_when_named()
    {
        var ex = Assert.Throws<ResultFileException>(() => ResultReader.Parse("x.json", "{\"a\": 1}"));
        Assert.Equal("x.json is JSON but not an llmbench result file (it has no schema_version).", ex.Message);
    }

    [Fact]
    public void A_sweep_is_summarised_by_its_best_ok_point()
    {
        var s = ResultSummary.From(ResultReader.Read(ResultFixtures.Path("sweep", "sweep.json")));
        Assert.Equal(256 * 1000 / 9.2 * 0.9, s.OutputTokensPerSecond!.Value, 9); // cuda, batch 256, input 128: TPOT 9.2 ms
        Assert.Equal("128,1024", s.Workload.Single(p => p.Key == "input lengths").Value);
    }
}
