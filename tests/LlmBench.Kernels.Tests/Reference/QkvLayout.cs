namespace LlmBench.Kernels.Tests.Reference;

/// <summary>One token's row of the fused QKV buffer: q heads, then k heads, then v heads, HEAD_DIM values each.</summary>
public readonly record struct QkvLayout(int NumQHeads, int NumKvHeads, int HeadDim)
{
    public int NumHeads => NumQHeads + 2 * NumKvHeads;

    public int RowWidth => NumHeads * HeadDim;

    public int OutWidth => NumQHeads * HeadDim;

    public int GroupSize => NumQHeads / NumKvHeads;

    public int QOffset(int qHead) => qHead * HeadDim;

    public int KOffset(int kvHead) => (NumQHeads + kvHead) * HeadDim;

    public int VOffset(int kvHead) => (NumQHeads + NumKvHeads + kvHead) * HeadDim;
}
