using LlmBench.Gpu;

namespace LlmBench.Engine.Cuda;

/// <summary>
/// Where a forward pass writes what it samples: ids, the logit of each sampled id, and the log-probability records
/// of the step's jobs (<see cref="LlmBench.Kernels.LogprobKernel"/>). Default (empty): the pass stops at the logits.
/// </summary>
internal readonly record struct SampleTargets(DeviceSpan<int> Ids, DeviceSpan<float> Logits, DeviceSpan<int> Records)
{
    public bool IsEmpty => Ids.IsEmpty;
}
