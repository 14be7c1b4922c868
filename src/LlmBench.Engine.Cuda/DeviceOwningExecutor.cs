using LlmBench.Engine.Models;
using LlmBench.Engine.Scheduling;
using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>Releases the GPU's context after the executor when the engine that <see cref="CudaEngine"/> built is disposed.</summary>
internal sealed class DeviceOwningExecutor(CudaModelExecutor inner, GpuDevice device) : IModelExecutor
{
    public ModelConfig Model => inner.Model;
    public int NumKvBlocks => inner.NumKvBlocks;
    public void Execute(StepPlan plan, Span<int> sampledTokenIds) => inner.Execute(plan, sampledTokenIds);
    public void ExecuteForLogits(StepPlan plan, Span<float> logits) => inner.ExecuteForLogits(plan, logits);
    public double? GpuIdleShare => inner.GpuIdleShare;

    public void Dispose()
    {
        inner.Dispose();
        device.Dispose();
    }
}
