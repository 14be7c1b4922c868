using LlmBench.Dev.EngineCheck;

// Usage: EngineCheck logits <model-dir>            last-position logits vs transformers' reference_logits.json
//        EngineCheck time <model-dir> [--eager] [--no-overlap] [--no-autotune]  1 × 128/128 decode step; 256 × 128/128 end-to-end output tok/s
return args switch
{
    ["logits", var dir] => LogitsCheck.Run(dir),
    ["logits", var dir, var file] => LogitsCheck.Run(dir, file),
    ["time", var dir, .. var rest] => Timings.Run(dir, rest.Contains("--eager"), !rest.Contains("--no-overlap"), !rest.Contains("--no-autotune")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: EngineCheck logits <model-dir> | time <model-dir> [--eager] [--no-overlap] [--no-autotune]");
    return 2;
}
