namespace LlmBench.Engine.Sampling;

/// <summary>
/// The k largest weights of a vocabulary in one pass with a min-heap of k entries (most tokens are rejected by one
/// comparison with the heap's root), then sorted: higher weight first, lower id on ties.
/// </summary>
internal sealed class TopKSelector(int capacity)
{
    private readonly int[] _heap = new int[capacity];

    public Span<int> Select(float[] weights, int k, int[] destination)
    {
        var heap = _heap.AsSpan(0, k);
        var order = new Sampler.ByWeightDescending(weights);
        for (int id = 0; id < k; id++)
            heap[id] = id;
        // Min-heap under "ranks lower": the root is the worst of the k kept so far.
        for (int i = k / 2 - 1; i >= 0; i--)
            SiftDown(heap, i, order);
        for (int id = k; id < weights.Length; id++)
        {
            if (order.Compare(id, heap[0]) < 0)
            {
                heap[0] = id;
                SiftDown(heap, 0, order);
            }
        }
        var result = destination.AsSpan(0, k);
        heap.CopyTo(result);
        result.Sort(order);
        return result;
    }

    private static void SiftDown(Span<int> heap, int index, Sampler.ByWeightDescending order)
    {
        while (true)
        {
            int worst = index;
            int left = 2 * index + 1;
            int right = left + 1;
            if (left < heap.Length && order.Compare(heap[left], heap[worst]) > 0)
                worst = left;
            if (right < heap.Length && order.Compare(heap[right], heap[worst]) > 0)
                worst = right;
            if (worst == index)
                return;
            (heap[index], heap[worst]) = (heap[worst], heap[index]);
            index = worst;
        }
    }
}
