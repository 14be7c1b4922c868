using System.Buffers.Binary;
using LlmBench.Gpu.Tracing;

namespace LlmBench.Gpu.Tests.Tracing;

/// <summary>The CUPTI kernel record reader, on records written at the offsets of cupti_activity.h.</summary>
public class KernelActivityRecordTests
{
    private const long NamePointer = 0x7F00_1234_5670;

    private static byte[] Record(int kind, ulong start, ulong end, uint stream = 7, uint correlation = 42)
    {
        var bytes = new byte[192];
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(0), kind);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), start);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(24), end);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), end + 5); // completed: not read
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48), stream);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(52), 999); // gridX: not read
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(92), correlation);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(96), 123456); // gridId: not read
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(104), NamePointer);
        return bytes;
    }

    private static string? Names(nint pointer) => pointer == NamePointer ? "gemv_bf16" : null;

    [Fact]
    public void AKernelRecord_GivesNameTimesStreamAndCorrelation()
    {
        var kernel = KernelActivityRecord.Parse(Record(10, 1_000_000, 1_004_500), Names);
        Assert.Equal(new KernelActivity("gemv_bf16", 1_000_000, 1_004_500, 7, 42), kernel);
        Assert.Equal(4.5, kernel!.Microseconds, 12);
    }

    [Fact]
    public void OtherKinds_AndRecordsWithoutTimestamps_AreSkipped()
    {
        Assert.Null(KernelActivityRecord.Parse(Record(3, 1000, 2000), Names)); // CUPTI_ACTIVITY_KIND_KERNEL, not concurrent
        Assert.Null(KernelActivityRecord.Parse(Record(1, 1000, 2000), Names)); // a memcpy
        Assert.Null(KernelActivityRecord.Parse(Record(10, 0, 0), Names)); // timestamps not collected
        Assert.Null(KernelActivityRecord.Parse(Record(10, 2000, 1000), Names));
    }

    [Fact]
    public void AMissingName_IsNamedUnnamed_AndAShortRecordIsRefused()
    {
        Assert.Equal("(unnamed)", KernelActivityRecord.Parse(Record(10, 10, 20), _ => null)!.Name);
        var error = Assert.Throws<ArgumentException>(() => KernelActivityRecord.Parse(Record(10, 10, 20).AsSpan(0, 100), Names));
        Assert.Contains("at least 112 bytes", error.Message, StringComparison.Ordinal);
    }
}
