// Programmatic dependent launch (sm_90+; a no-op on older GPUs and when launched without the attribute).
// KernelFamily puts this file in front of every .cu file of this folder, so the kernels share one definition.
//
//   grid_dependency_wait()    wait until the previous kernel has finished and its writes are visible
//   grid_dependents_launch()  let the next kernel begin launching
//   grid_dependency_sync()    both, in that order: the usual prologue of a kernel that reads its predecessor's output

__device__ __forceinline__ void grid_dependency_wait()
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

__device__ __forceinline__ void grid_dependents_launch()
{
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

__device__ __forceinline__ void grid_dependency_sync()
{
    grid_dependency_wait();
    grid_dependents_launch();
}
