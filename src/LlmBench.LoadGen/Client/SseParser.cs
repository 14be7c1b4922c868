using System.Buffers;

namespace LlmBench.LoadGen.Client;

/// <summary>Receives each complete server-sent event's data (data lines joined by '\n').</summary>
public interface ISseEventSink
{
    void OnEvent(ReadOnlySpan<byte> data);
}

/// <summary>
/// A server-sent events parser over raw UTF-8 bytes as they come off the socket: lines end in "\n",
/// "\r\n" or "\r" (also when a read splits the pair), ":" lines are comments, "data:" values are
/// joined until a blank line dispatches the event, other fields are ignored. Nothing is allocated per
/// event: partial lines and data are kept in pooled buffers that grow only for longer events.
/// </summary>
public sealed class SseParser : IDisposable
{
    private static ReadOnlySpan<byte> DataField => "data"u8;

    private byte[] _line = ArrayPool<byte>.Shared.Rent(1024);
    private int _lineLength;
    private byte[] _data = ArrayPool<byte>.Shared.Rent(4096);
    private int _dataLength;
    private bool _hasData;
    private bool _skipLeadingLf;

    public void Feed(ReadOnlySpan<byte> bytes, ISseEventSink sink)
    {
        while (!bytes.IsEmpty)
        {
            if (_skipLeadingLf)
            {
                _skipLeadingLf = false;
                if (bytes[0] == (byte)'\n')
                {
                    bytes = bytes[1..];
                    continue;
                }
            }

            var end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0)
            {
                Append(ref _line, ref _lineLength, bytes);
                return;
            }

            if (_lineLength == 0)
            {
                ProcessLine(bytes[..end], sink);
            }
            else
            {
                Append(ref _line, ref _lineLength, bytes[..end]);
                ProcessLine(_line.AsSpan(0, _lineLength), sink);
                _lineLength = 0;
            }

            if (bytes[end] == (byte)'\r')
            {
                if (end + 1 < bytes.Length && bytes[end + 1] == (byte)'\n')
                    end++;
                else if (end + 1 == bytes.Length)
                    _skipLeadingLf = true;
            }

            bytes = bytes[(end + 1)..];
        }
    }

    /// <summary>
    /// At the end of the stream: a last line without its newline and an event without its blank line
    /// are still delivered (the spec would drop them; servers that omit the final blank line exist).
    /// </summary>
    public void Complete(ISseEventSink sink)
    {
        if (_lineLength > 0)
        {
            ProcessLine(_line.AsSpan(0, _lineLength), sink);
            _lineLength = 0;
        }

        Dispatch(sink);
    }

    private void ProcessLine(ReadOnlySpan<byte> line, ISseEventSink sink)
    {
        if (line.IsEmpty)
        {
            Dispatch(sink);
            return;
        }

        if (line[0] == (byte)':')
            return;
        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        if (!field.SequenceEqual(DataField))
            return;
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
            value = value[1..];
        if (_hasData)
            Append(ref _data, ref _dataLength, "\n"u8);
        Append(ref _data, ref _dataLength, value);
        _hasData = true;
    }

    private void Dispatch(ISseEventSink sink)
    {
        if (!_hasData)
            return;
        _hasData = false;
        var length = _dataLength;
        _dataLength = 0;
        sink.OnEvent(_data.AsSpan(0, length));
    }

    private static void Append(ref byte[] buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, length + bytes.Length));
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        ArrayPool<byte>.Shared.Return(_data);
        _line = [];
        _data = [];
    }
}
