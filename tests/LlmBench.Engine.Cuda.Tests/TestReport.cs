namespace LlmBench.Engine.Cuda.Tests;

/// <summary>
/// Measurements the tests print (errors, matched tokens): to the test's output, and appended to the file named
/// by LLMBENCH_TEST_REPORT when set, so a run on the GPU machine keeps them even when every test passes.
/// </summary>
internal static class TestReport
{
    private static readonly object Gate = new();

    public static void Line(string text)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        var path = Environment.GetEnvironmentVariable("LLMBENCH_TEST_REPORT");
        if (string.IsNullOrEmpty(path))
            return;
        lock (Gate)
            File.AppendAllText(path, text + Environment.NewLine);
    }
}
