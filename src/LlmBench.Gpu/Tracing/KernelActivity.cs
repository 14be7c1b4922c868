using System.Buffers.Binary;

namespace LlmBench.Gpu.Tracing;

/// <summary>One kernel execution CUPTI recorded: its name and GPU timestamps (ns, CUPTI's clock).</summary>
public sealed record KernelActivity(string Name, ulong StartNs, ulong EndNs, uint StreamId, uint CorrelationId)
{
    public double Microseconds => (EndNs - StartNs) / 1e3;
}

/// <summary>
/// Reads a CUpti_ActivityKernel record (CUPTI_ACTIVITY_KIND_CONCURRENT_KERNEL). Every version of the record since
/// CUDA 11 (Kernel5 to Kernel10 of CUDA 13) begins with the same fields at the same offsets, which are all this reads:
/// kind (u32) at 0, start and end (u64) at 16 and 24, streamId (u32) at 48, correlationId (u32) at 92, the name
/// (const char*) at 104.
/// </summary>
public static class KernelActivityRecord
{
    public const int KindOffset = 0;
    public const int StartOffset = 16;
    public const int EndOffset = 24;
    public const int StreamIdOffset = 48;
    public const int CorrelationIdOffset = 92;
    public const int NameOffset = 104;

    /// <summary>Bytes of the prefix read.</summary>
    public const int PrefixLength = NameOffset + 8;

    /// <summary>
    /// The record's kernel, or null when it is not a kernel record or its timestamps are missing (CUPTI writes 0 for
    /// both when it could not collect them). <paramref name="readName"/> turns the name pointer into text.
    /// </summary>
    public static KernelActivity? Parse(ReadOnlySpan<byte> record, Func<nint, string?> readName)
    {
        ArgumentNullException.ThrowIfNull(readName);
        if (record.Length < PrefixLength)
            throw new ArgumentException($"A kernel activity record has at least {PrefixLength} bytes; got {record.Length}.", nameof(record));
        if (BinaryPrimitives.ReadInt32LittleEndian(record[KindOffset..]) != Interop.Cupti.ActivityKindConcurrentKernel)
            return null;
        ulong start = BinaryPrimitives.ReadUInt64LittleEndian(record[StartOffset..]);
        ulong end = BinaryPrimitives.ReadUInt64LittleEndian(record[EndOffset..]);
        if (start == 0 || end < start)
            return null;
        var name = readName((nint)BinaryPrimitives.ReadInt64LittleEndian(record[NameOffset..]));
        return new KernelActivity(
            string.IsNullOrEmpty(name) ? "(unnamed)" : name, start, end,
            BinaryPrimitives.ReadUInt32LittleEndian(record[StreamIdOffset..]),
            BinaryPrimitives.ReadUInt32LittleEndian(record[CorrelationIdOffset..]));
    }
}
