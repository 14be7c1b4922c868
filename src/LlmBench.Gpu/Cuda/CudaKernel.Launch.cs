namespace LlmBench.Gpu;

/// <summary>Typed launch overloads: each argument's address goes into the pointer array cuLaunchKernel expects.</summary>
public sealed unsafe partial class CudaKernel
{
    public void Launch<T1>(in LaunchConfig config, CudaStream stream, T1 a1)
        where T1 : unmanaged
    {
        RejectSpan<T1>();
        var arguments = stackalloc void*[1];
        arguments[0] = &a1;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2)
        where T1 : unmanaged
        where T2 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        var arguments = stackalloc void*[2];
        arguments[0] = &a1;
        arguments[1] = &a2;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        var arguments = stackalloc void*[3];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        var arguments = stackalloc void*[4];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4, T5>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        RejectSpan<T5>();
        var arguments = stackalloc void*[5];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        arguments[4] = &a5;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4, T5, T6>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        RejectSpan<T5>();
        RejectSpan<T6>();
        var arguments = stackalloc void*[6];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        arguments[4] = &a5;
        arguments[5] = &a6;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        RejectSpan<T5>();
        RejectSpan<T6>();
        RejectSpan<T7>();
        var arguments = stackalloc void*[7];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        arguments[4] = &a5;
        arguments[5] = &a6;
        arguments[6] = &a7;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        RejectSpan<T5>();
        RejectSpan<T6>();
        RejectSpan<T7>();
        RejectSpan<T8>();
        var arguments = stackalloc void*[8];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        arguments[4] = &a5;
        arguments[5] = &a6;
        arguments[6] = &a7;
        arguments[7] = &a8;
        Launch(config, stream, arguments);
    }

    public void Launch<T1, T2, T3, T4, T5, T6, T7, T8, T9>(in LaunchConfig config, CudaStream stream, T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9)
        where T1 : unmanaged
        where T2 : unmanaged
        where T3 : unmanaged
        where T4 : unmanaged
        where T5 : unmanaged
        where T6 : unmanaged
        where T7 : unmanaged
        where T8 : unmanaged
        where T9 : unmanaged
    {
        RejectSpan<T1>();
        RejectSpan<T2>();
        RejectSpan<T3>();
        RejectSpan<T4>();
        RejectSpan<T5>();
        RejectSpan<T6>();
        RejectSpan<T7>();
        RejectSpan<T8>();
        RejectSpan<T9>();
        var arguments = stackalloc void*[9];
        arguments[0] = &a1;
        arguments[1] = &a2;
        arguments[2] = &a3;
        arguments[3] = &a4;
        arguments[4] = &a5;
        arguments[5] = &a6;
        arguments[6] = &a7;
        arguments[7] = &a8;
        arguments[8] = &a9;
        Launch(config, stream, arguments);
    }
}
