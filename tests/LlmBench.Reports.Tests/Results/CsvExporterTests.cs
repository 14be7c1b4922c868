using System.Text;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Serving.Export;
using LlmBench.Reports.Tests.Serving;

namespace LlmBench.Reports.Tests.Results;

public sealed class CsvExporterTests
{
    private static string Csv(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Throughput_is_one_header_and_one_row()
    {
        var csv = Csv(s => ThroughputResultCsv.Write(SampleResults.Throughput(), s));
        Assert.Equal(
            "schema_version,date,model,dummy_weights,workload,device,requests,completed,total_input_tokens,total_output_tokens,elapsed_s,requests_per_s,"
            + "output_throughput,total_token_throughput,median_ttft_ms,p99_ttft_ms,median_tpot_ms,p99_tpot_ms,peak_kv_cache_usage,preemptions,"
            + "fraction_of_floor,incomplete,seed,git_commit,llmbench_version\n"
            + "1,20250101-120000,tiny,true,random,cpu (2 cores),4,4,100,400,2,2,200,250,25,39.699999999999996,25,39.699999999999996,0.5,1,,false,5,"
            + "0123456789abcdef0123456789abcdef01234567,0.1.0+test\n",
            csv);
    }

    [Fact]
    public void Serving_is_one_row_per_request_with_errors_quoted()
    {
        var lines = Csv(s => ServingResultCsv.Write(SampleRuns.Result(), s)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("schema_version,index,success,prompt_tokens,output_tokens,start_s,ttft_ms,tpot_ms,e2el_ms,client_queue_ms,error,send_wait_ms", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Equal("1,0,true,10,3,0,100,20,140,0,,0", lines[1]);
        Assert.Equal("1,1,true,20,1,0.05,200,,200,0,,0", lines[2]);
        Assert.Equal("1,3,false,40,0,0.1,,,,0,HTTP 503: overloaded,0", lines[4]);
    }

    [Fact]
    public void Fields_with_commas_or_quotes_are_quoted()
    {
        var csv = Csv(s => LlmBench.Reports.Results.CsvTable.Write<string>(s, [new("text", t => t)], ["a,b", "say \"hi\"", "plain"]));
        Assert.Equal("schema_version,text\n1,\"a,b\"\n1,\"say \"\"hi\"\"\"\n1,plain\n", csv);
    }
}
