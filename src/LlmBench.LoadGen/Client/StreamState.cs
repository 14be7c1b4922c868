using System.Buffers;
using System.Text.Json;

namespace LlmBench.LoadGen.Client;

/// <summary>
/// One response stream being read: receives SSE events, stamps every chunk carrying choices with the
/// arrival time of the read that brought it, and collects text and usage in pooled buffers.
/// </summary>
internal sealed class StreamState : ISseEventSink, IDisposable
{
    private static readonly Func<char[], int, char[]> GrowText = (old, needed) =>
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(old.Length * 2, needed));
        old.AsSpan().CopyTo(larger);
        ArrayPool<char>.Shared.Return(old);
        return larger;
    };

    private long[] _chunkTicks = ArrayPool<long>.Shared.Rent(64);
    private char[] _text = ArrayPool<char>.Shared.Rent(1024);
    private int _textLength;

    /// <summary>Set by the reader before feeding each read's bytes.</summary>
    public long ArrivalTicks { get; set; }

    public int ChunkCount { get; private set; }
    public int? CompletionTokens { get; private set; }
    public bool SawDone { get; private set; }
    public string? Error { get; private set; }

    public void OnEvent(ReadOnlySpan<byte> data)
    {
        if (SawDone || Error is not null)
            return;
        if (data.SequenceEqual("[DONE]"u8))
        {
            SawDone = true;
            return;
        }

        try
        {
            var chunk = StreamChunk.Read(data, ref _text, ref _textLength, GrowText);
            if (chunk.IsError)
                Error = "the server sent an error in the stream: " + ErrorText.Describe(data);
            if (chunk.CompletionTokens is { } tokens)
                CompletionTokens = tokens;
            if (chunk.HasChoices)
                AddChunk(ArrivalTicks);
        }
        catch (JsonException ex)
        {
            Error = $"a stream chunk is not valid JSON ({ex.Message})";
        }
    }

    public long[] ChunkTicks() => _chunkTicks.AsSpan(0, ChunkCount).ToArray();

    public string Text() => new(_text, 0, _textLength);

    private void AddChunk(long ticks)
    {
        if (ChunkCount == _chunkTicks.Length)
        {
            var larger = ArrayPool<long>.Shared.Rent(_chunkTicks.Length * 2);
            _chunkTicks.AsSpan().CopyTo(larger);
            ArrayPool<long>.Shared.Return(_chunkTicks);
            _chunkTicks = larger;
        }

        _chunkTicks[ChunkCount++] = ticks;
    }

    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_chunkTicks);
        ArrayPool<char>.Shared.Return(_text);
        _chunkTicks = [];
        _text = [];
    }
}
