using LlmBench.Engine.Loading;

namespace LlmBench.Dev.EngineCheck;

internal static class ModelDir
{
    public static LoadedModel Load(string directory) => ModelLoader.Load(new ModelLoadOptions
    {
        Model = directory,
        Environment = HuggingFaceEnvironment.WithHfHome(Path.GetTempPath()),
    });
}
