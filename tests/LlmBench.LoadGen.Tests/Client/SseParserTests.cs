using System.Text;
using LlmBench.LoadGen.Client;

namespace LlmBench.LoadGen.Tests.Client;

public class SseParserTests
{
    private sealed class Collector : ISseEventSink
    {
        public List<string> Events { get; } = [];

        public void OnEvent(ReadOnlySpan<byte> data) => Events.Add(Encoding.UTF8.GetString(data));
    }

    private static List<string> Parse(params string[] reads)
    {
        var sink = new Collector();
        using var parser = new SseParser();
        foreach (var read in reads)
            parser.Feed(Encoding.UTF8.GetBytes(read), sink);
        parser.Complete(sink);
        return sink.Events;
    }

    private const string Stream = "data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";

    [Fact]
    public void Whole_stream_in_one_read_gives_every_event()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "[DONE]"], Parse(Stream));
    }

    [Fact]
    public void Every_split_point_between_two_reads_gives_the_same_events()
    {
        for (int split = 0; split <= Stream.Length; split++)
            Assert.Equal(["{\"a\":1}", "{\"b\":2}", "[DONE]"], Parse(Stream[..split], Stream[split..]));
    }

    [Fact]
    public void One_byte_per_read_still_works()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}", "[DONE]"], Parse(Stream.Select(c => c.ToString()).ToArray()));
    }

    [Fact]
    public void Crlf_line_endings_even_split_between_reads()
    {
        const string crlf = "data: x\r\n\r\ndata: y\r\n\r\n";
        Assert.Equal(["x", "y"], Parse(crlf));
        for (int split = 0; split <= crlf.Length; split++)
            Assert.Equal(["x", "y"], Parse(crlf[..split], crlf[split..]));
    }

    [Fact]
    public void Bare_cr_ends_lines_too()
    {
        Assert.Equal(["x", "y"], Parse("data: x\r\rdata: y\r\r"));
    }

    [Fact]
    public void Comments_and_other_fields_are_ignored()
    {
        Assert.Equal(["payload"], Parse(": keep-alive\n\nevent: message\nid: 7\nretry: 10\ndata: payload\n\n: ping\n\n"));
    }

    [Fact]
    public void Multiple_data_lines_join_with_newlines_and_the_space_after_the_colon_is_optional()
    {
        Assert.Equal(["first\nsecond", " spaced"], Parse("data:first\ndata: second\n\ndata:  spaced\n\n"));
    }

    [Fact]
    public void A_last_event_without_its_blank_line_is_delivered_at_the_end()
    {
        Assert.Equal(["a", "[DONE]"], Parse("data: a\n\ndata: [DONE]"));
    }

    [Fact]
    public void Events_longer_than_the_pooled_buffers_survive()
    {
        var big = new string('x', 100_000);
        Assert.Equal([big], Parse("data: " + big[..30_000], big[30_000..] + "\n\n"));
    }

    [Fact]
    public void A_blank_line_without_data_dispatches_nothing()
    {
        Assert.Empty(Parse("\n\n\r\n"));
    }
}
