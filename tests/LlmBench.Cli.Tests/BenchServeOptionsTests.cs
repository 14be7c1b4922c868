using System.CommandLine;

namespace LlmBench.Cli.Tests;

public class BenchServeOptionsTests
{
    private static LlmBench.LoadGen.Runner.BenchServeSettings Bind(string commandLine)
    {
        var options = new BenchServeOptions();
        var command = new Command("serve");
        options.AddTo(command);
        var parse = command.Parse(commandLine);
        Assert.Empty(parse.Errors);
        return options.Bind(parse);
    }

    [Fact]
    public void A_concurrency_search_is_bounded_by_the_prompts_a_run_sends()
    {
        var options = new BenchServeOptions();
        var command = new Command("serve");
        options.AddTo(command);
        var parse = command.Parse("--search max-concurrency --goodput ttft:500 tpot:10 --num-prompts 64");
        Assert.Empty(parse.Errors);
        var search = options.BindSearch(parse, options.Bind(parse));
        Assert.Equal(64, search!.MaxLoad);
        var rate = command.Parse("--search request-rate --goodput ttft:500 --num-prompts 64 --max-concurrency 8");
        Assert.Null(options.BindSearch(rate, options.Bind(rate))!.MaxLoad);
    }

    [Fact]
    public void The_serve_512_command_line_of_vllm_binds_unchanged()
    {
        var s = Bind("--dataset-name random --random-input-len 512 --random-output-len 512 --max-concurrency 50 --num-prompts 200 --ignore-eos " +
                     "--percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,90,99 --goodput ttft:2000 tpot:50 --metadata gpu=H100 run=1 --request-rate 8 --burstiness 0.5");

        Assert.Equal(512, s.Dataset.RandomInputLength);
        Assert.Equal(512, s.Dataset.RandomOutputLength);
        Assert.Equal(50, s.MaxConcurrency);
        Assert.Equal(200, s.Dataset.NumPrompts);
        Assert.True(s.IgnoreEos);
        Assert.Equal(["ttft", "tpot", "itl", "e2el"], s.PercentileMetrics);
        Assert.Equal([50.0, 90.0, 99.0], s.MetricPercentiles);
        Assert.Equal(2000, s.Goodput.TtftMs);
        Assert.Equal(50, s.Goodput.TpotMs);
        Assert.Equal([new KeyValuePair<string, string>("gpu", "H100"), new("run", "1")], s.Metadata);
        Assert.Equal(8, s.RequestRate);
        Assert.Equal(0.5, s.Burstiness);
        Assert.Equal(new Uri("http://127.0.0.1:8000/v1/completions"), s.ApiUrl);
    }

    [Fact]
    public void Comma_lists_sweep_and_single_values_stay_single_runs()
    {
        var sweep = Bind("--max-concurrency 1,8,32 --request-rate 2,inf");
        var single = Bind("--max-concurrency 8 --request-rate 2");

        Assert.True(sweep.IsSweep);
        Assert.Equal([1, 8, 32], sweep.MaxConcurrencySweep!);
        Assert.Equal([2, double.PositiveInfinity], sweep.RequestRateSweep!);
        Assert.Equal(6, sweep.LoadPoints.Count);
        Assert.False(single.IsSweep);
        Assert.Equal(8, single.MaxConcurrency);
        Assert.Equal(2, single.RequestRate);
        Assert.Null(Bind("").MaxConcurrency);
    }

    [Fact]
    public void A_ramp_binds_as_vllm_names_it()
    {
        var s = Bind("--ramp-up-strategy exponential --ramp-up-start-rps 1 --ramp-up-end-rps 64 --latency-from scheduled");

        Assert.Equal(new LlmBench.LoadGen.Arrivals.RampUp("exponential", 1, 64), s.RampUp);
        Assert.Equal("scheduled", s.LatencyFrom);
        Assert.Equal(2.5, Bind("--slice-duration 2.5").SliceDurationSeconds);
        Assert.Null(Bind("").RampUp);
    }

    [Fact]
    public void Defaults_follow_vllm()
    {
        var s = Bind("");

        Assert.Equal(double.PositiveInfinity, s.RequestRate);
        Assert.Equal("openai", s.Backend);
        Assert.Equal(1000, s.Dataset.NumPrompts);
        Assert.Equal(["ttft", "tpot", "itl"], s.PercentileMetrics);
        Assert.Equal([99.0], s.MetricPercentiles);
        Assert.True(s.IgnoreEos, "vLLM ignores EOS for the random dataset");
    }

    [Fact]
    public void Chat_backend_and_base_url_pick_the_chat_endpoint()
    {
        var s = Bind("--backend openai-chat --base-url http://10.1.2.3:9000/ --dataset-name sonnet");

        Assert.Equal(new Uri("http://10.1.2.3:9000/v1/chat/completions"), s.ApiUrl);
        Assert.False(s.IgnoreEos);
    }

    [Theory]
    [InlineData("--request-rate fast")]
    [InlineData("--request-rate 0")]
    [InlineData("--backend tgi")]
    [InlineData("--metadata novalue")]
    [InlineData("--metric-percentiles 50,x")]
    [InlineData("--percentile-metrics ttft,latency")]
    [InlineData("--dataset-name sharegpt")]
    [InlineData("--random-range-ratio 1.5")]
    [InlineData("--burstiness 0")]
    [InlineData("--latency-from now")]
    [InlineData("--slice-duration 0")]
    [InlineData("--ramp-up-strategy linear")]
    [InlineData("--ramp-up-start-rps 1 --ramp-up-end-rps 2")]
    [InlineData("--ramp-up-strategy linear --ramp-up-start-rps 1 --ramp-up-end-rps 2 --request-rate 4")]
    [InlineData("--ramp-up-strategy exponential --ramp-up-start-rps 4 --ramp-up-end-rps 2")]
    public void Bad_values_are_argument_errors_the_runner_prints_as_one_line(string commandLine)
    {
        Assert.Throws<ArgumentException>(() => Bind(commandLine));
    }

    [Fact]
    public void Commands_are_registered()
    {
        var root = CliApp.BuildRoot();

        Assert.Contains(root.Subcommands, c => c.Name == "serve");
        Assert.Contains(root.Subcommands.Single(c => c.Name == "bench").Subcommands, c => c.Name == "serve");
    }
}
