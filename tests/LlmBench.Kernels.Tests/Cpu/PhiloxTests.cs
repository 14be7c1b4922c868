using LlmBench.Kernels.Tests.Reference;

namespace LlmBench.Kernels.Tests.Cpu;

public class PhiloxTests
{
    // Known answers for philox4x32-10 from Random123's kat_vectors.
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Generate_MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3) =>
        Assert.Equal((r0, r1, r2, r3), Philox.Generate((c0, c1, c2, c3), k0, k1));

    [Fact]
    public void TheSeed_IsSplitIntoLowAndHighKeyWords()
    {
        const ulong seed = 0x299f31d0_a4093822UL;
        Assert.Equal(Philox.Generate((1u, 2u, 3u, 4u), 0xa4093822u, 0x299f31d0u), Philox.Generate((1u, 2u, 3u, 4u), seed));
    }

    [Fact]
    public void TokenBits_TakeWord_TokenMod4_OfCounter_TokenDiv4AndStep()
    {
        const ulong seed = 12345;
        var block = Philox.Generate((2u, 7u, 0u, 0u), seed);
        Assert.Equal(block.X, Philox.TokenBits(seed, 7, 8));
        Assert.Equal(block.W, Philox.TokenBits(seed, 7, 11));
        Assert.NotEqual(Philox.TokenBits(seed, 7, 8), Philox.TokenBits(seed, 8, 8));
    }
}
