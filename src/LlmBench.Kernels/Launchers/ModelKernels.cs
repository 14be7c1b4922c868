using LlmBench.Gpu.Compilation;

namespace LlmBench.Kernels;

/// <summary>Every kernel family a decoder model needs, compiled once (or read from the cubin cache) for its shapes.</summary>
public sealed class ModelKernels : IDisposable
{
    private ModelKernels(KernelCompiler compiler, KernelShapes shapes)
    {
        Shapes = shapes.Validate();
        Embedding = new EmbeddingKernel(compiler, shapes.HiddenSize);
        RmsNorm = new RmsNormKernels(compiler, shapes.HiddenSize);
        SiluMul = new SiluMulKernel(compiler, shapes.IntermediateSize);
        QkNormRope = new QkNormRopeKernel(compiler, shapes);
        DecodeAttention = new DecodeAttentionKernels(compiler, shapes);
        PrefillAttention = new PrefillAttentionKernel(compiler, shapes);
        Sampling = new SamplingKernel(compiler, shapes.SplitSampling);
        Logprobs = new LogprobKernel(compiler);
        Util = new UtilKernels(compiler, shapes.HiddenSize);
        GemvFromHidden = new GemvKernels(compiler, shapes.HiddenSize, swiGlu: true, norm: true);
        int thenNorm = shapes.NormsAfterGemv ? shapes.HiddenSize : 0;
        GemvFromAttention = new GemvKernels(compiler, shapes.QWidth, thenNormWidth: thenNorm);
        GemvFromIntermediate = new GemvKernels(compiler, shapes.IntermediateSize, thenNormWidth: thenNorm);
        if (shapes.WeightsFp8)
            Fp8 = new Fp8LayerKernels(compiler, shapes);
    }

    /// <summary>The families of a model with fp8 layer weights (<see cref="KernelShapes.WeightsFp8"/>), else null.</summary>
    public Fp8LayerKernels? Fp8 { get; }

    public KernelShapes Shapes { get; }
    public EmbeddingKernel Embedding { get; }
    public RmsNormKernels RmsNorm { get; }
    public SiluMulKernel SiluMul { get; }
    public QkNormRopeKernel QkNormRope { get; }
    public DecodeAttentionKernels DecodeAttention { get; }
    public PrefillAttentionKernel PrefillAttention { get; }
    public SamplingKernel Sampling { get; }
    public LogprobKernel Logprobs { get; }
    public UtilKernels Util { get; }
    /// <summary>Small-batch linear layers reading the hidden state: q/k/v, gate/up (with SwiGLU) and the LM head.</summary>
    public GemvKernels GemvFromHidden { get; }
    /// <summary>Small-batch o_proj (in features: query heads × head_dim).</summary>
    public GemvKernels GemvFromAttention { get; }
    /// <summary>Small-batch down_proj (in features: the intermediate size).</summary>
    public GemvKernels GemvFromIntermediate { get; }

    public static ModelKernels Load(KernelCompiler compiler, KernelShapes shapes)
    {
        ArgumentNullException.ThrowIfNull(compiler);
        ArgumentNullException.ThrowIfNull(shapes);
        return new ModelKernels(compiler, shapes);
    }

    public void Dispose()
    {
        Embedding.Dispose();
        RmsNorm.Dispose();
        SiluMul.Dispose();
        QkNormRope.Dispose();
        DecodeAttention.Dispose();
        PrefillAttention.Dispose();
        Sampling.Dispose();
        Logprobs.Dispose();
        Util.Dispose();
        GemvFromHidden.Dispose();
        GemvFromAttention.Dispose();
        GemvFromIntermediate.Dispose();
        Fp8?.Dispose();
    }
}
