namespace LlmBench.Engine.Weights;

/// <summary>
/// Named weight tensors with Hugging Face names ("model.layers.0.self_attn.q_proj.weight"), from
/// safetensors files (memory-mapped) or generated (dummy weights). Backends read them either widened
/// to fp32 (CPU) or as raw bytes to upload (GPU).
/// </summary>
public interface ITensorSource : IDisposable
{
    IReadOnlyCollection<string> Names { get; }

    bool Contains(string name);

    /// <summary>Throws <see cref="KeyNotFoundException"/> naming the missing tensor.</summary>
    TensorInfo GetInfo(string name);

    /// <summary>Copies the tensor widened to fp32 into <paramref name="destination"/> (length = element count).</summary>
    void ReadFloat32(string name, Span<float> destination);

    /// <summary>Copies the tensor's bytes as stored (dtype of <see cref="GetInfo"/>) into <paramref name="destination"/>.</summary>
    void ReadRaw(string name, Span<byte> destination);
}
