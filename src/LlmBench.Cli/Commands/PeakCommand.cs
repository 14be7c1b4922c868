using System.CommandLine;
using LlmBench.Gpu;
using LlmBench.Gpu.Blas;
using LlmBench.Gpu.Compilation;
using LlmBench.Gpu.Peak;
using Spectre.Console;

namespace LlmBench.Cli;

/// <summary>`llmbench peak`: the GPU's measured memory bandwidth and matrix TFLOP/s beside its datasheet, saved for later runs.</summary>
internal static class PeakCommand
{
    public static Command Create()
    {
        var device = new Option<int>("--device", "-d") { Description = "Which GPU to measure (CUDA ordinal).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var sizes = new Option<string>("--sizes")
        {
            Description = "Square GEMM sizes, comma-separated.",
            DefaultValueFactory = _ => string.Join(',', PeakOptions.DefaultSizes),
        };
        var dtypes = new Option<string>("--dtypes") { Description = "GEMM precisions: bf16, fp16, fp8.", DefaultValueFactory = _ => "bf16,fp16,fp8" };
        var layout = new Option<string>("--layout") { Description = "GEMM layout: tn (Aᵀ·B, as a linear layer; fp8 always) or nn.", DefaultValueFactory = _ => "tn" };
        var autotune = new Option<int>("--autotune") { Description = "Time this many of cuBLASLt's ranked algorithms per GEMM and keep the fastest.", DefaultValueFactory = _ => 1 };
        var noSave = new Option<bool>("--no-save") { Description = "Do not store the result as this GPU's measured ceilings." };
        var command = new Command(
            "peak",
            "Measure device memory bandwidth (copy and read-only) and cuBLASLt GEMM TFLOP/s on random data, " +
            "compare with the datasheet, and store the result per GPU UUID for the floor of later benchmarks.")
        {
            Options = { device, json, sizes, dtypes, layout, autotune, noSave },
        };
        command.Options.Add(GpuCommandRunner.Verbose);
        command.SetAction((parse, ct) => GpuCommandRunner.RunAsync(parse,
            _ =>
            {
                var options = new PeakOptions
                {
                    Sizes = ParseSizes(parse.GetValue(sizes)!),
                    DataTypes = parse.GetValue(dtypes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(GemmDataTypeExtensions.Parse).ToArray(),
                    TransposeA = parse.GetValue(layout)?.ToLowerInvariant() switch
                    {
                        "tn" => true,
                        "nn" => false,
                        var other => throw new ArgumentException($"--layout: '{other}' is not tn or nn."),
                    },
                    AutotuneCandidates = parse.GetValue(autotune) is var n and >= 1 and <= 32 ? n : throw new ArgumentException("--autotune takes 1 to 32."),
                };
                var report = Measure(parse.GetValue(device), options);
                var savedTo = parse.GetValue(noSave) ? null : Save(report);
                if (parse.GetValue(json))
                    Console.Out.WriteLine(CliJson.Serialize(PeakJson.From(report, savedTo)));
                else
                    PeakRendering.Write(AnsiConsole.Console, report, savedTo);
                return Task.FromResult(0);
            },
            ct));
        return command;
    }

    private static PeakReport Measure(int ordinal, PeakOptions options)
    {
        using var gpu = GpuDevice.Open(ordinal);
        var compiler = new KernelCompiler(gpu);
        return new PeakBenchmark(gpu, compiler).Run(options, step => Console.Error.WriteLine($"peak: {step}"));
    }

    private static string Save(PeakReport report)
    {
        var store = MeasuredCeilingsStore.Default();
        store.Save(report.ToCeilings(CliApp.VersionText));
        return store.PathFor(report.Device.Uuid);
    }

    private static int[] ParseSizes(string text)
    {
        var sizes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var n) && n is >= 64 and <= 65536 ? n : throw new ArgumentException($"--sizes: '{s}' is not a size between 64 and 65536."))
            .ToArray();
        return sizes.Length > 0 ? sizes : throw new ArgumentException("--sizes needs at least one size.");
    }
}
