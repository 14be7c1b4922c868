using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Gpu.Tests.Loading;

public class LibrarySearchTests
{
    private static readonly GpuLibraryDescriptor Nvrtc = GpuLibraryDescriptor.For(GpuLibrary.Nvrtc);
    private static readonly GpuLibraryDescriptor CublasLt = GpuLibraryDescriptor.For(GpuLibrary.CublasLt);

    // dlopen stand-in: a path loads when the fake file system has it; a bare name never loads unless listed.
    private static LibraryLoadOutcome Load(
        GpuLibraryDescriptor library, string[] files, Dictionary<string, string>? env = null, IReadOnlyList<string>? order = null, string[]? loadableBareNames = null)
    {
        var probe = new FakeLibraryProbe(files, env);
        var attempt = new LibraryLoadAttempt(new LibrarySearch(probe), path =>
            probe.FileExists(path) || (loadableBareNames?.Contains(path) ?? false)
                ? new LibraryOpenResult(42, null)
                : new LibraryOpenResult(0, $"{path}: cannot open shared object file: No such file or directory"));
        return attempt.Run(library, order);
    }

    [Fact]
    public void CudaHome_IsSearchedBeforeUsrLocalCuda()
    {
        var outcome = Load(Nvrtc, ["/opt/cuda-x/lib64/libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.13"], new() { ["CUDA_HOME"] = "/opt/cuda-x" });
        Assert.Equal("/opt/cuda-x/lib64/libnvrtc.so.13", outcome.Path);
    }

    [Fact]
    public void Cupti_IsFoundInTheToolkitsExtrasFolder_OrInAPythonWheel()
    {
        var cupti = GpuLibraryDescriptor.For(GpuLibrary.Cupti);
        Assert.Equal("/usr/local/cuda/extras/CUPTI/lib64/libcupti.so.13", Load(cupti, ["/usr/local/cuda/extras/CUPTI/lib64/libcupti.so.13"]).Path);
        Assert.Equal("/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcupti.so.13",
            Load(cupti, ["/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcupti.so.13"]).Path);
        Assert.Equal(GpuLibrary.Cupti, GpuLibraryDescriptor.ForImportName(GpuLibraryDescriptor.CuptiImport)!.Library);
    }

    [Fact]
    public void VersionedToolkits_NewestFirst()
    {
        var outcome = Load(Nvrtc, ["/usr/local/cuda-12.4/lib64/libnvrtc.so.12", "/usr/local/cuda-13.0/lib64/libnvrtc.so.13"]);
        Assert.Equal("/usr/local/cuda-13.0/lib64/libnvrtc.so.13", outcome.Path);
    }

    [Fact]
    public void LdLibraryPath_IsSearched()
    {
        var outcome = Load(CublasLt, ["/srv/libs/libcublasLt.so.12"], new() { ["LD_LIBRARY_PATH"] = "/nothing/here:/srv/libs/" });
        Assert.Equal("/srv/libs/libcublasLt.so.12", outcome.Path);
    }

    [Fact]
    public void WithinAFolder_TheGivenVersionOrderDecides()
    {
        string[] files = ["/usr/local/cuda/lib64/libnvrtc.so.13", "/usr/local/cuda/lib64/libnvrtc.so.12"];
        Assert.Equal("/usr/local/cuda/lib64/libnvrtc.so.13", Load(Nvrtc, files).Path);
        Assert.Equal("/usr/local/cuda/lib64/libnvrtc.so.12", Load(Nvrtc, files, order: ["12", "13"]).Path);
    }

    [Fact]
    public void PythonWheels_AreFoundInDistPackages()
    {
        var outcome = Load(CublasLt, ["/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublasLt.so.13"]);
        Assert.Equal("/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublasLt.so.13", outcome.Path);
    }

    [Fact]
    public void PythonWheels_AreFoundInAVenvUnderOpt()
    {
        var outcome = Load(Nvrtc, ["/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12"]);
        Assert.Equal("/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cuda_nvrtc/lib/libnvrtc.so.12", outcome.Path);
    }

    [Fact]
    public void PythonWheels_ComeAfterTheSystemLoader()
    {
        var outcome = Load(
            Nvrtc, ["/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libnvrtc.so.13"], loadableBareNames: ["libnvrtc.so.13"]);
        Assert.Equal("libnvrtc.so.13", outcome.Path);
    }

    [Fact]
    public void Failure_ListsEveryPathTried_AndWhatToInstall()
    {
        var env = new Dictionary<string, string> { ["CUDA_HOME"] = "/opt/cuda", ["LD_LIBRARY_PATH"] = "/srv/libs" };
        var probe = new FakeLibraryProbe(["/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublas.so.13"], env);
        var plan = new LibrarySearch(probe).Plan(Nvrtc);
        var outcome = Load(Nvrtc, ["/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libcublas.so.13"], env);

        Assert.Equal(0, outcome.Handle);
        Assert.Contains("could not be loaded", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("pip install nvidia-cuda-nvrtc-cu12", outcome.FailureMessage, StringComparison.Ordinal);
        foreach (var candidate in plan)
            Assert.Contains(candidate.Path, outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("/opt/cuda/lib64/libnvrtc.so.13", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("/srv/libs/libnvrtc.so.12", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("/usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib/libnvrtc.so.13", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("libnvrtc.so.12 (system loader)", outcome.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_NamesUnsupportedVersionsFoundNearby()
    {
        var outcome = Load(Nvrtc, ["/usr/local/cuda/lib64/libnvrtc.so.11.2", "/usr/local/cuda/lib64/libnvrtc-builtins.so.11.2"]);
        Assert.Null(outcome.Path);
        Assert.Contains("Found only unsupported versions: /usr/local/cuda/lib64/libnvrtc.so.11.2", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("builtins", outcome.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Failure_ReportsAFileThatExistsButWillNotLoad()
    {
        var probe = new FakeLibraryProbe(["/usr/local/cuda/lib64/libnvrtc.so.13"]);
        var attempt = new LibraryLoadAttempt(new LibrarySearch(probe), path => new LibraryOpenResult(0, $"{path}: wrong ELF class: ELFCLASS32"));
        var outcome = attempt.Run(Nvrtc);
        Assert.Contains("Found but failed to load: /usr/local/cuda/lib64/libnvrtc.so.13", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("wrong ELF class", outcome.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void DriverLibrary_HasOneVersion()
    {
        var cuda = GpuLibraryDescriptor.For(GpuLibrary.Cuda);
        Assert.Equal(["libcuda.so.1"], cuda.FileNames());
        Assert.Equal(GpuLibrary.Cuda, GpuLibraryDescriptor.ForImportName(GpuLibraryDescriptor.CudaImport)?.Library);
        Assert.Null(GpuLibraryDescriptor.ForImportName("libc"));
    }
}
