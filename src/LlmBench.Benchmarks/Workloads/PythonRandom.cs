namespace LlmBench.Benchmarks.Workloads;

/// <summary>
/// CPython's <c>random.Random</c> for integer seeds: MT19937 seeded by <c>init_by_array</c>, with
/// <c>randint</c> built from <c>getrandbits</c> and rejection exactly as CPython does, so that
/// workloads defined by Python scripts (nano-vllm's bench.py) get the very same lengths and ids here.
/// </summary>
public sealed class PythonRandom
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _state = new uint[N];
    private int _index = N + 1;

    public PythonRandom(ulong seed)
    {
        // CPython splits the absolute value of an int seed into 32-bit words, least significant first; 0 gives [0].
        var key = new List<uint>();
        do
        {
            key.Add((uint)seed);
            seed >>= 32;
        }
        while (seed != 0);
        InitByArray(key);
    }

    /// <summary>A uniform integer in [a, b], both ends included (Python's <c>randint</c>).</summary>
    public int RandInt(int a, int b)
    {
        if (b < a) throw new ArgumentOutOfRangeException(nameof(b), $"empty range [{a}, {b}]");
        return a + (int)RandBelow((uint)(b - a + 1));
    }

    /// <summary>A float in [0, 1) with 53 random bits (Python's <c>random()</c>).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return ((a * 67108864.0) + b) * (1.0 / 9007199254740992.0);
    }

    /// <summary>Python's <c>getrandbits(k)</c> for 1 ≤ k ≤ 32.</summary>
    public uint GetRandBits(int k)
    {
        if (k is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(k), "only 1..32 bits are supported");
        return NextUInt32() >> (32 - k);
    }

    private uint RandBelow(uint n)
    {
        int k = 32 - System.Numerics.BitOperations.LeadingZeroCount(n); // n.bit_length()
        uint r = GetRandBits(k);
        while (r >= n) r = GetRandBits(k);
        return r;
    }

    private void InitGenRand(uint s)
    {
        _state[0] = s;
        for (int i = 1; i < N; i++)
            _state[i] = (1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30))) + (uint)i;
        _index = N;
    }

    private void InitByArray(List<uint> key)
    {
        InitGenRand(19650218u);
        int i = 1, j = 0;
        for (int k = Math.Max(N, key.Count); k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            i++;
            j++;
            if (i >= N) { _state[0] = _state[N - 1]; i = 1; }
            if (j >= key.Count) j = 0;
        }

        for (int k = N - 1; k > 0; k--)
        {
            _state[i] = (_state[i] ^ ((_state[i - 1] ^ (_state[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= N) { _state[0] = _state[N - 1]; i = 1; }
        }

        _state[0] = 0x80000000u;
    }

    private uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _state[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (int kk = 0; kk < N; kk++)
        {
            uint y = (_state[kk] & 0x80000000u) | (_state[(kk + 1) % N] & 0x7fffffffu);
            _state[kk] = _state[(kk + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
        }

        _index = 0;
    }
}
