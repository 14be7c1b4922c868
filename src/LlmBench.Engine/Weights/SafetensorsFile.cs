using System.IO.MemoryMappedFiles;

namespace LlmBench.Engine.Weights;

/// <summary>
/// One memory-mapped .safetensors file. The header is validated when the file is opened (see
/// <see cref="SafetensorsHeader"/>), after which every tensor's bytes are known to lie inside the
/// mapping; reads copy straight out of the page cache.
/// </summary>
public sealed unsafe class SafetensorsFile : IMappedTensorSource
{
    private readonly MemoryMappedFile _mapping;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private readonly Dictionary<string, SafetensorsEntry> _entries;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile mapping, MemoryMappedViewAccessor view, byte* data,
        Dictionary<string, SafetensorsEntry> entries)
    {
        FilePath = path;
        _mapping = mapping;
        _view = view;
        _data = data;
        _entries = entries;
    }

    public string FilePath { get; }

    public IReadOnlyCollection<string> Names => _entries.Keys;

    /// <summary>Maps and validates <paramref name="path"/>; throws <see cref="SafetensorsFormatException"/> for a bad file.</summary>
    public static SafetensorsFile Open(string path)
    {
        FileStream stream;
        try
        {
#pragma warning disable CA2000 // disposed below on every failure; on success the mapping owns it (leaveOpen: false)
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
#pragma warning restore CA2000
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"Cannot open {path}: {ex.Message}", ex);
        }

        long fileLength;
        MemoryMappedFile mapping;
        try
        {
            fileLength = stream.Length;
            if (fileLength < 8)
                throw SafetensorsHeader.TooShort(path, fileLength);
            mapping = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            view = mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            acquired = true;
            start += view.PointerOffset;

            var dataStart = SafetensorsHeader.ReadDataStart(new ReadOnlySpan<byte>(start, 8), fileLength, path);
            var header = new ReadOnlySpan<byte>(start + 8, (int)(dataStart - 8));
            var entries = SafetensorsHeader.Parse(header, fileLength - dataStart, path);
            return new SafetensorsFile(path, mapping, view, start + dataStart, entries);
        }
        catch
        {
            if (acquired)
                view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            mapping.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _entries.ContainsKey(name);

    public TensorInfo GetInfo(string name) => Entry(name).Info;

    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var entry = Entry(name);
        var length = entry.DataEnd - entry.DataBegin;
        if (length > int.MaxValue)
            throw new NotSupportedException($"Tensor {name} is {length} bytes, too large for one span; read it in slices.");
        return new ReadOnlySpan<byte>(_data + entry.DataBegin, (int)length);
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var info = GetInfo(name);
        TensorReads.CheckLength(info, destination.Length, info.ElementCount);
        DTypeConversions.WidenToFloat32(info.DType, GetBytes(name), destination);
    }

    public void ReadRaw(string name, Span<byte> destination)
    {
        var info = GetInfo(name);
        TensorReads.CheckLength(info, destination.Length, info.ByteLength);
        GetBytes(name).CopyTo(destination);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping.Dispose();
    }

    private SafetensorsEntry Entry(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _entries.TryGetValue(name, out var entry)
            ? entry
            : throw new KeyNotFoundException($"{FilePath} holds no tensor named {name}.");
    }
}
