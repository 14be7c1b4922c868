using LlmBench.Engine;
using LlmBench.Engine.Cuda;
using LlmBench.Dev.EngineCheck;
using LlmBench.Kernels;

// Usage: EngineCheck logits <model-dir>            last-position logits vs transformers' reference_logits.json
//        EngineCheck time <model-dir> [--eager] [--no-overlap] [--autotune] [--max-splits N] [--gemv-max N] [--no-pdl] [--bs1-only] [--fp8-weights] [--fp8-gemm] [--fuse-norms] [--norms-after] [--merge-in-attention] [--split-sampling]
//                                                   1 × 128/128 decode step; 256 × 128/128 end-to-end output tok/s
//        EngineCheck fp8 <model-dir>               the fp8 variants vs the bf16 path and transformers: logits, greedy 64
//        EngineCheck fp8ckpt <fp8-dir> <bf16-dir>  an fp8 block-scaled checkpoint (auto, none) and --quantization fp8 vs the bf16 model
//        EngineCheck gemv                          the linear layers at 1–8 tokens: cuBLASLt vs gemv.cu, per launch
//        EngineCheck profile <model-dir|preset> [--bs 1,8,64] [--in 128] [--out 128] [--eager] [--norms-after] [--merge-in-attention] [--split-sampling]
//                                                   the step profiler: each call of a prefill and a decode step
//        EngineCheck logprobs <model-dir|preset>   GPU logprobs vs LogprobCalculator on the same logits; decode step
//                                                   time without logprobs and with top 5 / top 20 at bs 1 and 64
//        EngineCheck rounding <model-dir|preset> [--prompts 1,16,200,1000] [--only "e4m3, per row;int8"] [--gaussian]
//                                                   CPU, no GPU: logits with the layer weights rounded through fp8 e4m3
//                                                   (per row / tensor / 128x128 / 1x32), e5m2, int8 vs unrounded;
//                                                   --gaussian: matrices drawn N(0, 1/fan_in) like the torch random model
return args switch
{
    ["logits", var dir] => LogitsCheck.Run(dir),
    ["logits", var dir, var file] => LogitsCheck.Run(dir, file),
    ["time", var dir, .. var rest] => Timings.Run(dir, rest.Contains("--eager"), new CudaExecutorSettings
    {
        Overlap = !rest.Contains("--no-overlap"),
        AutotuneGemms = rest.Contains("--autotune"),
        MaxDecodeSplits = rest.SkipWhile(a => a != "--max-splits").Skip(1).Select(int.Parse).FirstOrDefault(64),
        GemvMaxTokens = rest.SkipWhile(a => a != "--gemv-max").Skip(1).Select(int.Parse).FirstOrDefault(GemvKernels.MaxTokens),
        ProgrammaticLaunch = !rest.Contains("--no-pdl"),
        FuseNormsIntoGemv = rest.Contains("--fuse-norms"),
        NormsAfterGemv = rest.Contains("--norms-after"),
        MergeAttentionInLastCta = rest.Contains("--merge-in-attention"),
        SplitSampling = rest.Contains("--split-sampling"),
        Fp8Gemm = rest.Contains("--fp8-gemm") ? Fp8LargeStepGemm.Fp8 : Fp8LargeStepGemm.Dequantize,
    }, rest.Contains("--bs1-only"), rest.Contains("--fp8-weights") ? WeightQuantization.Fp8 : WeightQuantization.None),
    ["fp8", var dir] => Fp8Check.Run(dir),
    ["fp8ckpt", var fp8Dir, var bf16Dir] => Fp8CheckpointCheck.Run(fp8Dir, bf16Dir),
    ["gemv"] => GemvBench.Run(),
    ["profile", var model, .. var rest] => Profile.Run(model,
        rest.SkipWhile(a => a != "--bs").Skip(1).Select(v => v.Split(',').Select(int.Parse).ToArray()).FirstOrDefault([1, 8, 64]),
        rest.SkipWhile(a => a != "--in").Skip(1).Select(int.Parse).FirstOrDefault(128),
        rest.SkipWhile(a => a != "--out").Skip(1).Select(int.Parse).FirstOrDefault(128), rest.Contains("--eager"),
        CudaExecutorSettings.Default with
        {
            NormsAfterGemv = rest.Contains("--norms-after"),
            MergeAttentionInLastCta = rest.Contains("--merge-in-attention"),
            SplitSampling = rest.Contains("--split-sampling"),
        }),
    ["logprobs", var model] => LogprobsCheck.Run(model),
    ["rounding", var model, .. var rest] => RoundingCheck.Run(model,
        rest.SkipWhile(a => a != "--prompts").Skip(1).Select(v => v.Split(',').Select(int.Parse).ToArray()).FirstOrDefault([1, 16, 200, 1000]),
        [.. rest.SkipWhile(a => a != "--only").Skip(1).Take(1).SelectMany(v => v.Split(';'))], rest.Contains("--gaussian")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: EngineCheck logits <model-dir> | fp8 <model-dir> | fp8ckpt <fp8-dir> <bf16-dir> | time <model-dir> [--eager] [--no-overlap] [--autotune] [--max-splits N] [--gemv-max N] [--no-pdl] [--bs1-only] [--fp8-weights] [--fp8-gemm] [--fuse-norms] [--norms-after] [--merge-in-attention] [--split-sampling] | gemv | profile <model-dir|preset> [--bs 1,8,64] [--in N] [--out N] [--eager] [--norms-after] [--merge-in-attention] [--split-sampling] | logprobs <model-dir|preset> | rounding <model-dir|preset> [--prompts 1,16,200,1000] [--only \"e4m3, per row;int8\"] [--gaussian]");
    return 2;
}
