namespace LlmBench.Kernels.Tests.Reference;

/// <summary>Philox4x32-10 (Salmon et al. 2011, Random123), as sampling.cu computes it.</summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53u, M1 = 0xCD9E8D57u;
    private const uint W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

    public static (uint X, uint Y, uint Z, uint W) Generate((uint X, uint Y, uint Z, uint W) counter, uint key0, uint key1)
    {
        var (c0, c1, c2, c3) = counter;
        for (var round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                key0 += W0;
                key1 += W1;
            }
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ key0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ key1, (uint)p0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>The kernel's key: the low and high words of the row's 64-bit seed.</summary>
    public static (uint X, uint Y, uint Z, uint W) Generate((uint X, uint Y, uint Z, uint W) counter, ulong seed) =>
        Generate(counter, (uint)seed, (uint)(seed >> 32));

    /// <summary>The 32 random bits sampling.cu uses for token <paramref name="token"/>: counter (token/4, step, 0, 0), word token%4.</summary>
    public static uint TokenBits(ulong seed, int step, int token)
    {
        var r = Generate(((uint)(token / 4), (uint)step, 0u, 0u), seed);
        return (token % 4) switch { 0 => r.X, 1 => r.Y, 2 => r.Z, _ => r.W };
    }
}
