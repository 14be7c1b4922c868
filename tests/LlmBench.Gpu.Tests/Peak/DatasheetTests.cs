using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Peak;

namespace LlmBench.Gpu.Tests.Peak;

public class DatasheetTests
{
    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", "H100 SXM")]
    [InlineData("NVIDIA H100 PCIe", "H100 PCIe")]
    [InlineData("NVIDIA H100 NVL", "H100 NVL")]
    [InlineData("NVIDIA H200", "H200")]
    [InlineData("NVIDIA A100-SXM4-80GB", "A100 80GB SXM")]
    [InlineData("NVIDIA A100 80GB PCIe", "A100 80GB PCIe")]
    [InlineData("NVIDIA A100-PCIE-40GB", "A100 40GB")]
    [InlineData("NVIDIA A100-SXM4-40GB", "A100 40GB")]
    [InlineData("Tesla T4", "T4")]
    [InlineData("NVIDIA L4", "L4")]
    [InlineData("NVIDIA L40S", "L40S")]
    [InlineData("NVIDIA A10G", "A10G")]
    [InlineData("NVIDIA A10", "A10")]
    [InlineData("Tesla V100-SXM2-16GB", "V100 SXM2")]
    [InlineData("Tesla V100-PCIE-32GB", "V100 PCIe")]
    [InlineData("NVIDIA GeForce RTX 4090", "RTX 4090")]
    [InlineData("NVIDIA GeForce RTX 5090", "RTX 5090")]
    public void KnownNames_MatchTheirModel(string name, string model) => Assert.Equal(model, GpuDatasheet.Find(name)?.Model);

    [Theory]
    [InlineData("NVIDIA GeForce GTX 1080")]
    [InlineData("NVIDIA RTX A6000")]
    public void OtherNames_AreUnknown(string name) => Assert.Null(GpuDatasheet.Find(name));

    [Fact]
    public void Figures_AreDenseAndByPrecision()
    {
        var h100 = GpuDatasheet.Find("NVIDIA H100 80GB HBM3")!;
        Assert.Equal(989, h100.TflopsFor(GemmDataType.Bf16));
        Assert.Equal(1979, h100.TflopsFor(GemmDataType.Fp8E4M3));
        Assert.Equal(3350, h100.MemoryBandwidthGBps);
        var t4 = GpuDatasheet.Find("Tesla T4")!;
        Assert.Null(t4.TflopsFor(GemmDataType.Bf16));
        Assert.Equal(65, t4.TflopsFor(GemmDataType.Fp16));
    }
}
