using System.Runtime.InteropServices;
using LlmBench.Gpu.Interop;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Tracing;

/// <summary>
/// Records every kernel the GPU runs between <see cref="Start"/> and <see cref="Stop"/> through CUPTI's activity API
/// (concurrent-kernel records, which include the kernels of CUDA graph replays without serializing them). CUPTI hands
/// records over in buffers through process-wide callbacks, so one trace runs at a time in a process.
/// </summary>
public sealed unsafe class CuptiKernelTrace : IDisposable
{
    private const int BufferBytes = 8 << 20;
    private static readonly object Gate = new();
    private static List<KernelActivity>? _sink;
    private static long _dropped;
    private static bool _callbacksRegistered;
    private bool _running;

    private CuptiKernelTrace()
    {
    }

    /// <summary>Why no trace can run here (CUPTI not found, or refused), or null when one can.</summary>
    public static string? Unavailable()
    {
        if (!GpuLibraryLoader.TryLoad(GpuLibrary.Cupti))
            return $"CUPTI (libcupti.so.13 or .12) was not found: {GpuLibraryDescriptor.For(GpuLibrary.Cupti).InstallHint}";
        return Cupti.cuptiGetVersion(out _) is var result && result == CuptiResult.CUPTI_SUCCESS
            ? null
            : $"CUPTI did not answer cuptiGetVersion: {result.SymbolicName()}";
    }

    /// <summary>Starts recording kernels. Throws <see cref="CuptiException"/> when CUPTI refuses, GpuUnavailableException when it is missing.</summary>
    public static CuptiKernelTrace Start()
    {
        GpuLibraryLoader.Load(GpuLibrary.Cupti);
        lock (Gate)
        {
            if (_sink is not null)
                throw new InvalidOperationException("a kernel trace is already running in this process; CUPTI's buffers are process-wide.");
            if (!_callbacksRegistered)
            {
                CuptiCheck.ThrowIfFailed(Cupti.cuptiActivityRegisterCallbacks(&BufferRequested, &BufferCompleted));
                _callbacksRegistered = true;
            }
            _sink = [];
            _dropped = 0;
        }
        try
        {
            CuptiCheck.ThrowIfFailed(Cupti.cuptiActivityEnable(Cupti.ActivityKindConcurrentKernel));
        }
        catch
        {
            lock (Gate)
                _sink = null;
            throw;
        }
        return new CuptiKernelTrace { _running = true };
    }

    /// <summary>CUPTI's clock now, in ns: the clock of <see cref="KernelActivity"/> timestamps, so host-side marks fall between kernels.</summary>
    public static ulong Now()
    {
        CuptiCheck.ThrowIfFailed(Cupti.cuptiGetTimestamp(out var timestamp));
        return timestamp;
    }

    /// <summary>
    /// Stops recording and returns the kernels recorded, in start order, and how many records CUPTI dropped (its buffers
    /// were full). Call after the GPU finished the work (a synchronized stream).
    /// </summary>
    public (IReadOnlyList<KernelActivity> Kernels, long Dropped) Stop()
    {
        if (!_running)
            throw new InvalidOperationException("the trace was stopped already.");
        _running = false;
        List<KernelActivity> recorded;
        try
        {
            CuptiCheck.ThrowIfFailed(Cupti.cuptiActivityDisable(Cupti.ActivityKindConcurrentKernel));
            CuptiCheck.ThrowIfFailed(Cupti.cuptiActivityFlushAll(Cupti.FlushForced));
        }
        finally
        {
            lock (Gate)
            {
                recorded = _sink ?? [];
                _sink = null;
            }
        }
        return ([.. recorded.OrderBy(k => k.StartNs)], Interlocked.Read(ref _dropped));
    }

    public void Dispose()
    {
        if (!_running)
            return;
        _running = false;
        Cupti.cuptiActivityDisable(Cupti.ActivityKindConcurrentKernel);
        Cupti.cuptiActivityFlushAll(Cupti.FlushForced);
        lock (Gate)
            _sink = null;
    }

    [UnmanagedCallersOnly]
    private static void BufferRequested(byte** buffer, nuint* size, nuint* maxNumRecords)
    {
        *buffer = (byte*)NativeMemory.AlignedAlloc(BufferBytes, 8);
        *size = *buffer is null ? 0 : (nuint)BufferBytes;
        *maxNumRecords = 0; // as many as fit
    }

    [UnmanagedCallersOnly]
    private static void BufferCompleted(nint context, uint streamId, byte* buffer, nuint size, nuint validSize)
    {
        try
        {
            var kernels = new List<KernelActivity>();
            byte* record = null;
            while (Cupti.cuptiActivityGetNextRecord(buffer, validSize, &record) == CuptiResult.CUPTI_SUCCESS)
            {
                if (KernelActivityRecord.Parse(new ReadOnlySpan<byte>(record, KernelActivityRecord.PrefixLength), Marshal.PtrToStringUTF8) is { } kernel)
                    kernels.Add(kernel);
            }
            if (Cupti.cuptiActivityGetNumDroppedRecords(context, streamId, out var dropped) == CuptiResult.CUPTI_SUCCESS && dropped > 0)
                Interlocked.Add(ref _dropped, (long)dropped);
            lock (Gate)
                _sink?.AddRange(kernels);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An exception must not cross into CUPTI's thread; the records of this buffer are lost and counted.
            Interlocked.Increment(ref _dropped);
        }
        finally
        {
            NativeMemory.AlignedFree(buffer);
        }
    }
}
