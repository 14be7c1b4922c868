namespace LlmBench.Cli.Tests.Frameworks;

/// <summary>
/// The shipped worker (hf_worker.py) under this machine's python3, with stand-in torch and transformers packages first
/// on PYTHONPATH: each missing piece is one sentence that names what to install. Skipped where there is no python3.
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class RealWorkerErrorTests : IDisposable
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "../../../../fixtures/golden/tiny-qwen3");
    private readonly string _folder = Directory.CreateTempSubdirectory("llmbench-worker-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string NoModule = "raise ImportError('No module named {0} (a stand-in)')";

    private const string CpuTorch = """
        __version__ = "2.11.0+cpu"
        bfloat16 = "bfloat16"
        class version:
            cuda = None
        class cuda:
            @staticmethod
            def is_available():
                return False
        def manual_seed(seed):
            pass
        """;

    /// <summary>The same stand-in torch, built for CUDA 13.0 and seeing a GPU.</summary>
    private static readonly string GpuTorch = CpuTorch.Replace("+cpu", "+cu130", StringComparison.Ordinal)
        .Replace("cuda = None", "cuda = \"13.0\"", StringComparison.Ordinal).Replace("return False", "return True", StringComparison.Ordinal);

    private const string BrokenTransformers = """
        __version__ = "5.17.0"
        class AutoModelForCausalLM:
            @staticmethod
            def from_pretrained(path, **kwargs):
                raise OSError("the folder does not appear to have a file named config.json (a stand-in)")
        """;

    [Theory]
    [InlineData("torch", "PyTorch is not installed for ", "install a CUDA build of torch (pip install torch) or pass --python with an interpreter that has it.")]
    [InlineData("transformers", "transformers is not installed for ", "install it (pip install transformers) or pass --python with an interpreter that has it.")]
    [InlineData("cpu", "PyTorch 2.11.0+cpu at ", "cannot use a GPU (a CPU-only build); install a CUDA build of torch (pip install torch from the index for your CUDA version) or pass --python with an interpreter that has one.")]
    [InlineData("load", "transformers 5.17.0 could not load the model in ", "(OSError: the folder does not appear to have a file named config.json (a stand-in)); install a transformers version that knows its architecture (pip install -U transformers) or check the directory.")]
    public async Task AMissingPiece_IsOneSentence_NamingWhatToInstall(string missing, string start, string end)
    {
        Assert.SkipWhen(FakeWorker.Python3 is null, "no python3 on this machine");
        var stubs = Directory.CreateDirectory(Path.Combine(_folder, "stubs")).FullName;
        void Package(string name, string body)
        {
            Directory.CreateDirectory(Path.Combine(stubs, name));
            File.WriteAllText(Path.Combine(stubs, name, "__init__.py"), body.Replace("{0}", name, StringComparison.Ordinal));
        }

        switch (missing)
        {
            case "torch":
                Package("torch", NoModule);
                break;
            case "transformers":
                Package("torch", GpuTorch);
                Package("transformers", NoModule);
                break;
            case "cpu":
                Package("torch", CpuTorch);
                Package("transformers", BrokenTransformers);
                break;
            default:
                Package("torch", GpuTorch);
                Package("transformers", BrokenTransformers);
                break;
        }

        var python = FakeWorker.PythonWithPath(_folder, stubs);
        var (exit, _, error) = await ConsoleCapture.RunAsync("latency", "--model", TinyModel, "--backend", "hf", "--python", python,
            "--batch-size", "1", "--input-len", "4", "--output-len", "2", "--num-iters", "1", "--num-iters-warmup", "0",
            "--output-json", Path.Combine(_folder, "lat.json"));

        Assert.Equal(1, exit);
        var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: " + start, line, StringComparison.Ordinal);
        Assert.Contains(end, line, StringComparison.Ordinal);
        Assert.EndsWith(".", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "lat.json")));
    }
}
