using System.Runtime.CompilerServices;

namespace LlmBench.Gpu;

/// <summary>
/// A typed, non-owning view of device memory: a CUdeviceptr and an element count. Pass <see cref="Pointer"/> (not
/// the span itself) as a kernel argument.
/// </summary>
public readonly record struct DeviceSpan<T>(ulong Pointer, long Length)
    where T : unmanaged
{
    public static int ElementSize => Unsafe.SizeOf<T>();

    public long SizeInBytes => Length * ElementSize;

    public bool IsEmpty => Length == 0;

    public DeviceSpan<T> Slice(long start, long length)
    {
        if (start < 0 || length < 0 || start + length > Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside a view of {Length} elements.");
        return new DeviceSpan<T>(Pointer + (ulong)(start * ElementSize), length);
    }

    public DeviceSpan<T> Slice(long start) => Slice(start, Length - start);

    /// <summary>Reinterprets the bytes as another element type (e.g. bf16 bits as ushort); the byte size must divide evenly.</summary>
    public DeviceSpan<TTo> Cast<TTo>()
        where TTo : unmanaged
    {
        var size = Unsafe.SizeOf<TTo>();
        if (SizeInBytes % size != 0)
            throw new ArgumentException($"{SizeInBytes} bytes do not divide into elements of {size} bytes.");
        return new DeviceSpan<TTo>(Pointer, SizeInBytes / size);
    }
}
