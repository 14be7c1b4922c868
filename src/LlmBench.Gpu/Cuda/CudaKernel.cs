using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu;

/// <summary>
/// A __global__ function of a loaded module. Arguments are passed by value exactly as the kernel declares them:
/// device pointers as <c>ulong</c> (<see cref="DeviceSpan{T}.Pointer"/>), sizes as int/long, scalars as float etc.
/// </summary>
public sealed unsafe partial class CudaKernel
{
    private readonly CudaModule _module;
    private readonly nint _function;

    internal CudaKernel(CudaModule module, nint function, string name)
    {
        _module = module;
        _function = function;
        Name = name;
    }

    public string Name { get; }

    /// <summary>Raises the dynamic shared memory limit above the default 48 KiB (needed before such a launch).</summary>
    public void SetMaxDynamicSharedMemory(int bytes) =>
        CudaCheck.ThrowIfFailed(CudaDriver.cuFuncSetAttribute(_function, CudaFunctionAttribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes));

    public int RegistersPerThread
    {
        get
        {
            CudaCheck.ThrowIfFailed(CudaDriver.cuFuncGetAttribute(out var value, CudaFunctionAttribute.CU_FUNC_ATTRIBUTE_NUM_REGS, _function));
            return value;
        }
    }

    /// <summary>Launches with an array of pointers to the argument values, as cuLaunchKernel takes them.</summary>
    public void Launch(in LaunchConfig config, CudaStream stream, void** arguments)
    {
        ObjectDisposedException.ThrowIf(_module.IsDisposed, _module);
        if (stream.ProgrammaticDependentLaunch)
        {
            LaunchProgrammatic(config, stream, arguments);
            return;
        }
        CudaCheck.ThrowIfFailed(CudaDriver.cuLaunchKernel(
            _function,
            config.Grid.X, config.Grid.Y, config.Grid.Z,
            config.Block.X, config.Block.Y, config.Block.Z,
            config.SharedMemoryBytes,
            stream.Handle,
            arguments,
            null));
    }

    // cuLaunchKernelEx with programmatic stream serialization: the kernel may start while the previous one finishes.
    private void LaunchProgrammatic(in LaunchConfig config, CudaStream stream, void** arguments)
    {
        var attribute = new CudaLaunchAttribute
        {
            Id = CudaLaunchAttributeId.CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION,
            Value = 1,
        };
        bool added = false;
        stream.Handle.DangerousAddRef(ref added);
        try
        {
            var launch = new CudaLaunchConfig
            {
                GridDimX = config.Grid.X,
                GridDimY = config.Grid.Y,
                GridDimZ = config.Grid.Z,
                BlockDimX = config.Block.X,
                BlockDimY = config.Block.Y,
                BlockDimZ = config.Block.Z,
                SharedMemBytes = config.SharedMemoryBytes,
                Stream = stream.Handle.DangerousGetHandle(),
                Attributes = &attribute,
                AttributeCount = 1,
            };
            CudaCheck.ThrowIfFailed(CudaDriver.cuLaunchKernelEx(&launch, _function, arguments, null));
        }
        finally
        {
            if (added)
                stream.Handle.DangerousRelease();
        }
    }

    // A DeviceSpan is 16 bytes (pointer + length); a kernel expecting a pointer would read garbage.
    private static void RejectSpan<T>()
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(DeviceSpan<>))
            throw new ArgumentException($"Pass the view's .Pointer, not the {typeof(T).Name} itself, as a kernel argument.");
    }
}
