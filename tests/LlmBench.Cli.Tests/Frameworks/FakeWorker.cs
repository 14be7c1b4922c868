namespace LlmBench.Cli.Tests.Frameworks;

/// <summary>
/// Stand-ins for the Python worker, as bash scripts passed as --python (they ignore the script path they are given):
/// they speak the worker's JSON-lines protocol with scripted behaviour, so the C# side is tested without Python, torch
/// or a GPU. Every generated token comes <see cref="StepMs"/> after the previous one, the first one step after the send,
/// and a generate request takes that long in fact (the fake sleeps), so batches one after another add up.
/// </summary>
internal static class FakeWorker
{
    public const int StepMs = 10;

    /// <summary>A worker that answers everything; with <paramref name="compile"/> its prepare reports 1.5 s in mode "default" after "reduce-overhead" failed.</summary>
    /// <param name="crashAtGenerate">Exit with code 3 at this generate request (1-based; warm-ups count), after a traceback on stderr.</param>
    public static string Write(string folder, bool compile = false, int crashAtGenerate = 0) => Script(folder, "fake-worker.sh", $$"""
        echo '{"ok":true,"op":"ready","protocol":1}'
        generates=0
        while IFS= read -r line; do
          case "$line" in
            *'"op":"load"'*)
              echo "loaded $line" >&2
              echo '{"ok":true,"op":"load","load_s":0.5,"torch":"9.9-fake","transformers":"9.9-fake","cuda":"13.0","device_name":"Fake GPU","attn_implementation":"sdpa"}' ;;
            *'"op":"prepare"'*)
              {{(compile
                ? "echo '{\"ok\":true,\"op\":\"prepare\",\"compile_s\":1.5,\"compile_mode\":\"default\",\"cudagraph_skips\":0,\"failed_modes\":[{\"mode\":\"reduce-overhead\",\"error\":\"boom\"}]}'"
                : "echo '{\"ok\":true,\"op\":\"prepare\",\"compile_s\":null,\"compile_mode\":null}'")}} ;;
            *'"op":"generate"'*)
              generates=$((generates + 1))
              if [ "$generates" = "{{crashAtGenerate}}" ]; then
                echo 'Traceback (most recent call last):' >&2
                echo 'RuntimeError: CUDA error: an illegal memory access was encountered' >&2
                exit 3
              fi
              n=$(echo "$line" | sed 's/.*"max_new_tokens":\([0-9]*\).*/\1/')
              times=""
              for k in $(seq 1 "$n"); do
                ms=$((k * {{StepMs}}))
                times="$times$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000))),"
              done
              sleep "$(printf '%d.%03d' $((n * {{StepMs}} / 1000)) $((n * {{StepMs}} % 1000)))"
              echo "{\"ok\":true,\"op\":\"generate\",\"token_times\":[${times%,}],\"elapsed_s\":$(printf '%d.%03d' $((n * {{StepMs}} / 1000)) $((n * {{StepMs}} % 1000)))}" ;;
            *'"op":"shutdown"'*)
              echo '{"ok":true,"op":"shutdown"}'
              exit 0 ;;
          esac
        done
        """);

    /// <summary>A "Python" that prints something other than the protocol.</summary>
    public static string Babbling(string folder) => Script(folder, "babbling.sh", """
        echo 'Python 2.7.18 says hello'
        sleep 5
        """);

    /// <summary>A Python wrapper that puts <paramref name="stubs"/> first on PYTHONPATH, for the real worker with stand-in modules.</summary>
    public static string PythonWithPath(string folder, string stubs) => Script(folder, "python-with-stubs.sh", $"""
        PYTHONPATH="{stubs}" exec python3 "$@"
        """);

    public static string? Python3 => new[] { "/usr/bin/python3", "/usr/local/bin/python3" }
        .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "python3")))
        .FirstOrDefault(File.Exists);

    private static string Script(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
