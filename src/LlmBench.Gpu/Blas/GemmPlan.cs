using LlmBench.Gpu.Interop;

namespace LlmBench.Gpu.Blas;

/// <summary>
/// Problem size in BLAS terms: D is M×N, the inner dimension is K. For a linear layer in row-major storage,
/// Y[tokens, out] = X[tokens, in] · W[out, in]ᵀ, use <see cref="ForLinear"/>.
/// </summary>
public readonly record struct GemmShape(int M, int N, int K)
{
    /// <summary>m = out, n = tokens, k = in; A = W (transposed), B = X, D = Y: the "TN" layout fp8 needs on Hopper.</summary>
    public static GemmShape ForLinear(int tokens, int inFeatures, int outFeatures) => new(outFeatures, tokens, inFeatures);

    public double Flops => 2.0 * M * N * K;
}

/// <summary>
/// One matrix multiply, planned once (descriptors, layouts, the heuristic's choice of kernel) and run many times,
/// also inside graph capture: D = alpha · op(A) · op(B), column-major, fp32 accumulation. With
/// <c>transposeA</c> the A buffer holds a K×M column-major matrix (M×K row-major); without, M×K column-major.
/// </summary>
public sealed unsafe class GemmPlan : IDisposable
{
    private const int ScaleStrideFloats = 64;

    private readonly CublasLtContext _context;
    private readonly CublasLtMatmulDescHandle _operation;
    private readonly CublasLtMatrixLayoutHandle _aLayout;
    private readonly CublasLtMatrixLayoutHandle _bLayout;
    private readonly CublasLtMatrixLayoutHandle _dLayout;
    private readonly DeviceBuffer<float>? _fp8Scales;
    private CublasLtMatmulAlgo _algorithm;

    private GemmPlan(
        CublasLtContext context, GemmShape shape, GemmDataType type, CublasLtMatmulDescHandle operation,
        CublasLtMatrixLayoutHandle a, CublasLtMatrixLayoutHandle b, CublasLtMatrixLayoutHandle d, DeviceBuffer<float>? fp8Scales)
    {
        _context = context;
        Shape = shape;
        DataType = type;
        _operation = operation;
        _aLayout = a;
        _bLayout = b;
        _dLayout = d;
        _fp8Scales = fp8Scales;
    }

    public GemmShape Shape { get; }

    public GemmDataType DataType { get; }

    /// <summary>
    /// True for a plan from <see cref="CreateVectorScaledFp8"/>: each run names a scale per row of op(A) and per
    /// column of op(B) (<see cref="Run(CudaStream, ulong, ulong, ulong, ulong, ulong)"/>).
    /// </summary>
    public bool VectorScaled { get; private init; }

    /// <summary>
    /// An fp8 e4m3 GEMM in the linear layer's TN layout whose output is scaled by an outer product of vectors:
    /// D[m, n] = aScales[m] · bScales[n] · Σₖ A[k, m] · B[k, n], with the fp32 accumulator scaled before the one
    /// rounding to bf16 (cuBLASLt's outer-vector scale mode, CUDA 12.9+). For a linear layer, A is the weight with
    /// one scale per output row and B the activations with one scale per token.
    /// </summary>
    /// <exception cref="GpuException">This cuBLASLt has no such scale mode, or no kernel for it on this GPU.</exception>
    public static GemmPlan CreateVectorScaledFp8(CublasLtContext context, GemmShape shape)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = Operation(context, shape, GemmDataType.Fp8E4M3, transposeA: true, transposeB: false);
        DeviceBuffer<float> placeholder;
        try
        {
            var vector = (int)CublasLtMatmulMatrixScale.CUBLASLT_MATMUL_MATRIX_SCALE_OUTER_VEC_32F;
            SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_A_SCALE_MODE, vector);
            SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_B_SCALE_MODE, vector);
            // The heuristic is asked with scale vectors in place (ones, long enough for either side); each run then
            // names its own. Runs without them are refused, so the placeholder never scales a result.
            placeholder = UnitScales(context, operation, Math.Max(shape.M, shape.N));
        }
        catch
        {
            operation.Dispose(); // a cuBLASLt without the scale mode refuses the attribute: a CublasLtException
            throw;
        }
        return Plan(context, shape, GemmDataType.Fp8E4M3, operation, transposeA: true, transposeB: false, scales: placeholder, vectorScaled: true);
    }

    public static GemmPlan Create(CublasLtContext context, GemmShape shape, GemmDataType type, bool transposeA = true, bool transposeB = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = Operation(context, shape, type, transposeA, transposeB);
        // fp8: per-tensor scales of 1 (the inputs are already in e4m3's range).
        var scales = type == GemmDataType.Fp8E4M3 ? UnitScales(context, operation, 1) : null;
        return Plan(context, shape, type, operation, transposeA, transposeB, scales, vectorScaled: false);
    }

    /// <summary>
    /// Ones for A's and B's scale pointers, <paramref name="perSide"/> each, each side starting on its own 256-byte
    /// line as cuBLASLt checks pointer alignment at launch. The plan owns the buffer.
    /// </summary>
    private static DeviceBuffer<float> UnitScales(CublasLtContext context, CublasLtMatmulDescHandle operation, int perSide)
    {
        int stride = (perSide + ScaleStrideFloats - 1) / ScaleStrideFloats * ScaleStrideFloats;
        var ones = context.Device.Allocate<float>(2L * stride);
        try
        {
            ones.CopyFrom([.. Enumerable.Repeat(1f, 2 * stride)]);
            SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, ones.Pointer);
            SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, ones.Pointer + (ulong)(stride * sizeof(float)));
        }
        catch
        {
            ones.Dispose();
            throw;
        }
        return ones;
    }

    /// <summary>The operation descriptor with its layout checks: fp32 accumulation, the transposes set.</summary>
    private static CublasLtMatmulDescHandle Operation(CublasLtContext context, GemmShape shape, GemmDataType type, bool transposeA, bool transposeB)
    {
        if (shape.M <= 0 || shape.N <= 0 || shape.K <= 0)
            throw new ArgumentException($"GEMM dimensions must be positive: {shape}.", nameof(shape));
        if (!type.IsSupportedOn(context.Device.Info.ComputeCapability))
            throw new NotSupportedException($"{type.DisplayName()} matrix multiplies need a newer GPU than compute capability {context.Device.Info.ComputeCapability}.");
        if (type == GemmDataType.Fp8E4M3 && (!transposeA || transposeB))
            throw new ArgumentException("fp8 GEMMs on Ada and Hopper support only the TN layout (transposeA, not transposeB).");

        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmulDescCreate(out var rawOperation, CublasComputeType.CUBLAS_COMPUTE_32F, CudaDataType.CUDA_R_32F));
        var operation = new CublasLtMatmulDescHandle(rawOperation);
        SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_TRANSA, (int)(transposeA ? CublasOperation.CUBLAS_OP_T : CublasOperation.CUBLAS_OP_N));
        SetAttribute(operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_TRANSB, (int)(transposeB ? CublasOperation.CUBLAS_OP_T : CublasOperation.CUBLAS_OP_N));
        return operation;
    }

    private static GemmPlan Plan(
        CublasLtContext context, GemmShape shape, GemmDataType type, CublasLtMatmulDescHandle operation, bool transposeA, bool transposeB,
        DeviceBuffer<float>? scales, bool vectorScaled)
    {
        var (m, n, k) = (shape.M, shape.N, shape.K);
        var a = transposeA ? Layout(type.InputType(), k, m) : Layout(type.InputType(), m, k);
        var b = transposeB ? Layout(type.InputType(), n, k) : Layout(type.InputType(), k, n);
        var d = Layout(type.OutputType(), m, n);
        var plan = new GemmPlan(context, shape, type, operation, a, b, d, scales) { VectorScaled = vectorScaled };
        try
        {
            plan._algorithm = plan.ChooseAlgorithm();
        }
        catch
        {
            plan.Dispose();
            throw;
        }
        return plan;
    }

    /// <summary>Queues D = alpha · op(A) · op(B) on <paramref name="stream"/>. Pointers are device addresses.</summary>
    public void Run(CudaStream stream, ulong a, ulong b, ulong d, float alpha = 1f)
    {
        if (VectorScaled)
            throw new InvalidOperationException("a vector-scaled fp8 plan runs with its scale vectors (the overload that takes them).");
        Multiply(stream, a, b, d, alpha);
    }

    /// <summary>
    /// Queues D[m, n] = aScales[m] · bScales[n] · (op(A) · op(B))[m, n] for a plan from <see cref="CreateVectorScaledFp8"/>:
    /// <paramref name="aScales"/> holds M fp32 values, <paramref name="bScales"/> N. The addresses go into the plan's
    /// descriptor before the launch, so a captured graph keeps the ones given at capture.
    /// </summary>
    public void Run(CudaStream stream, ulong a, ulong b, ulong d, ulong aScales, ulong bScales)
    {
        if (!VectorScaled)
            throw new InvalidOperationException("this plan has no scale vectors; it was not made by CreateVectorScaledFp8.");
        SetAttribute(_operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, aScales);
        SetAttribute(_operation, CublasLtMatmulDescAttribute.CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, bScales);
        Multiply(stream, a, b, d, 1f);
    }

    private void Multiply(CudaStream stream, ulong a, ulong b, ulong d, float alpha)
    {
        var beta = 0f;
        var algorithm = _algorithm;
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmul(
            _context.Handle, _operation, &alpha, a, _aLayout, b, _bLayout, &beta, d, _dLayout, d, _dLayout,
            &algorithm, _context.Workspace.Pointer, (nuint)_context.Workspace.SizeInBytes, stream.Handle));
    }

    /// <summary>Typed form of <see cref="Run(CudaStream, ulong, ulong, ulong, float)"/> that checks the buffer sizes.</summary>
    public void Run<TIn, TOut>(CudaStream stream, DeviceSpan<TIn> a, DeviceSpan<TIn> b, DeviceSpan<TOut> d, float alpha = 1f)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        RequireBytes(nameof(a), a.SizeInBytes, (long)Shape.M * Shape.K * DataType.InputBytes());
        RequireBytes(nameof(b), b.SizeInBytes, (long)Shape.K * Shape.N * DataType.InputBytes());
        RequireBytes(nameof(d), d.SizeInBytes, (long)Shape.M * Shape.N * DataType.OutputBytes());
        Run(stream, a.Pointer, b.Pointer, d.Pointer, alpha);
    }

    /// <summary>
    /// Times up to <paramref name="maxCandidates"/> of the heuristic's choices on these buffers and keeps the fastest;
    /// returns how many ran. Call once, outside graph capture; the buffers' contents are overwritten in D only.
    /// </summary>
    public int Autotune(CudaStream stream, ulong a, ulong b, ulong d, int maxCandidates, int runsPerCandidate = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCandidates, 1);
        using var start = stream.Device.CreateEvent();
        using var end = stream.Device.CreateEvent();
        var (best, bestMilliseconds, tried) = (_algorithm, double.MaxValue, 0);
        foreach (var candidate in Heuristics(Math.Min(maxCandidates, 32)))
        {
            _algorithm = candidate;
            try
            {
                Run(stream, a, b, d);
                start.Record(stream);
                for (var i = 0; i < runsPerCandidate; i++)
                    Run(stream, a, b, d);
                end.Record(stream);
                var milliseconds = CudaEvent.ElapsedMilliseconds(start, end);
                tried++;
                if (milliseconds < bestMilliseconds)
                    (best, bestMilliseconds) = (candidate, milliseconds);
            }
            catch (CublasLtException)
            {
                // A candidate the library lists but refuses at launch is simply not a candidate.
                stream.Synchronize();
            }
        }

        _algorithm = best;
        return tried;
    }

    /// <summary>
    /// Like <see cref="Autotune(CudaStream, ulong, ulong, ulong, int, int)"/>, but each timed pass runs once on every
    /// operand set in turn (e.g. every layer's weights), so that weights come from memory as in a real forward pass
    /// rather than from L2, where a small matrix repeated would sit.
    /// </summary>
    public int Autotune(CudaStream stream, IReadOnlyList<(ulong A, ulong B, ulong D)> operands, int maxCandidates, int passes = 2)
    {
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCandidates, 1);
        ArgumentOutOfRangeException.ThrowIfZero(operands.Count);
        using var start = stream.Device.CreateEvent();
        using var end = stream.Device.CreateEvent();
        var (best, bestMilliseconds, tried) = (_algorithm, double.MaxValue, 0);
        foreach (var candidate in Heuristics(Math.Min(maxCandidates, 32)))
        {
            _algorithm = candidate;
            try
            {
                Run(stream, operands[0].A, operands[0].B, operands[0].D);
                start.Record(stream);
                for (var pass = 0; pass < passes; pass++)
                {
                    foreach (var (a, b, d) in operands)
                        Run(stream, a, b, d);
                }
                end.Record(stream);
                var milliseconds = CudaEvent.ElapsedMilliseconds(start, end);
                tried++;
                if (milliseconds < bestMilliseconds)
                    (best, bestMilliseconds) = (candidate, milliseconds);
            }
            catch (CublasLtException)
            {
                stream.Synchronize();
            }
        }
        _algorithm = best;
        return tried;
    }

    private CublasLtMatmulAlgo ChooseAlgorithm() => Heuristics(1)[0];

    /// <summary>The heuristic's ranked choices for this problem and workspace, best first.</summary>
    private CublasLtMatmulAlgo[] Heuristics(int count)
    {
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmulPreferenceCreate(out var rawPreference));
        using var preference = new CublasLtMatmulPreferenceHandle(rawPreference);
        var workspaceBytes = (ulong)_context.Workspace.SizeInBytes;
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmulPreferenceSetAttribute(
            preference, CublasLtMatmulPreferenceAttribute.CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspaceBytes, sizeof(ulong)));
        var results = stackalloc CublasLtMatmulHeuristicResult[count];
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmulAlgoGetHeuristic(
            _context.Handle, _operation, _aLayout, _bLayout, _dLayout, _dLayout, preference, count, results, out var found));
        if (found == 0)
            throw new GpuException($"cuBLASLt has no {DataType.DisplayName()} kernel for {Shape} on this GPU.");
        var algorithms = new CublasLtMatmulAlgo[found];
        for (var i = 0; i < found; i++)
            algorithms[i] = results[i].Algo;
        return algorithms;
    }

    private static CublasLtMatrixLayoutHandle Layout(CudaDataType type, int rows, int columns)
    {
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatrixLayoutCreate(out var raw, type, (ulong)rows, (ulong)columns, rows));
        return new CublasLtMatrixLayoutHandle(raw);
    }

    private static void SetAttribute<T>(CublasLtMatmulDescHandle operation, CublasLtMatmulDescAttribute attribute, T value)
        where T : unmanaged =>
        CublasLtCheck.ThrowIfFailed(CublasLt.cublasLtMatmulDescSetAttribute(operation, attribute, &value, (nuint)sizeof(T)));

    private static void RequireBytes(string name, long actual, long needed)
    {
        if (actual < needed)
            throw new ArgumentException($"Matrix {name} has {actual} bytes; the plan needs {needed}.", name);
    }

    public void Dispose()
    {
        _dLayout.Dispose();
        _bLayout.Dispose();
        _aLayout.Dispose();
        _operation.Dispose();
        _fp8Scales?.Dispose();
    }
}
