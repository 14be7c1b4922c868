using System.Text;
using System.Text.Json;
using LlmBench.LoadGen.Client;

namespace LlmBench.LoadGen.Tests.Client;

public class StreamChunkTests
{
    private static (StreamChunk Chunk, string Text) Read(string json)
    {
        var text = new char[4];
        var length = 0;
        var chunk = StreamChunk.Read(Encoding.UTF8.GetBytes(json), ref text, ref length, (old, needed) =>
        {
            var larger = new char[Math.Max(needed, old.Length * 2)];
            old.CopyTo(larger, 0);
            return larger;
        });
        return (chunk, new string(text, 0, length));
    }

    [Fact]
    public void Completion_chunk_has_choices_and_text()
    {
        var (chunk, text) = Read("{\"id\":\"c\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,\"text\":\"Hello world\",\"finish_reason\":null}],\"usage\":null}");

        Assert.True(chunk.HasChoices);
        Assert.Null(chunk.CompletionTokens);
        Assert.Equal("Hello world", text);
    }

    [Fact]
    public void Chat_chunk_text_comes_from_the_delta_and_escapes_are_decoded()
    {
        var (chunk, text) = Read("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"caf\\u00e9\\n\\\"q\\\"\"}}]}");

        Assert.True(chunk.HasChoices);
        Assert.Equal("café\n\"q\"", text);
    }

    [Fact]
    public void Usage_chunk_with_empty_choices_gives_tokens_but_no_choice()
    {
        var (chunk, _) = Read("{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":34,\"total_tokens\":46}}");

        Assert.False(chunk.HasChoices);
        Assert.Equal(34, chunk.CompletionTokens);
    }

    [Fact]
    public void A_choice_without_text_still_counts_as_vllm_counts_it()
    {
        var (chunk, text) = Read("{\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}");

        Assert.True(chunk.HasChoices);
        Assert.Equal("", text);
    }

    [Fact]
    public void Error_objects_are_flagged()
    {
        Assert.True(Read("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}").Chunk.IsError);
    }

    [Fact]
    public void Malformed_json_throws_a_json_error()
    {
        Assert.ThrowsAny<JsonException>(() => Read("{\"choices\":[{\"text\":\"x\"}"));
        Assert.ThrowsAny<JsonException>(() => Read("[1,2]"));
    }
}
