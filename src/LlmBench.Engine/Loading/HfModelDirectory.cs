using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LlmBench.Engine.Models;
using LlmBench.Engine.Weights;
using LlmBench.Text.Tokenization;

namespace LlmBench.Engine.Loading;

/// <summary>
/// A loaded model as a Hugging Face directory that another framework (transformers) can load, so that every backend
/// of a comparison runs the same weights. A model loaded from a directory is that directory. Dummy weights are written
/// once into the cache (config.json, model.safetensors in bf16, and the Qwen3 tokenizer files where they fit the
/// vocabulary), in a folder named by model, seed and a hash of the config; the bytes are the ones the engine generates,
/// so loading the folder back gives the engine the same weights.
/// </summary>
public static class HfModelDirectory
{
    /// <summary>Bump when what is written changes, so an old folder is not reused.</summary>
    private const int FormatVersion = 1;

    /// <summary>The directory holding <paramref name="model"/>'s config and weights; writes it under <paramref name="cacheRoot"/> for dummy weights.</summary>
    /// <param name="progress">Told once, before a dummy model is written.</param>
    public static string For(LoadedModel model, string cacheRoot, Action<string>? progress = null)
    {
        if (!model.IsDummy)
            return model.ModelDirectory ?? throw new InvalidOperationException("A model with real weights always comes from a directory.");
        if (model.Weights is not DummyTensorSource dummy)
            throw new InvalidOperationException("Dummy weights come from DummyTensorSource.");

        var config = ModelConfigWriter.Build(model.Config).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{FormatVersion}\n{dummy.Seed}\n{config}")))[..12];
        var name = string.Create(CultureInfo.InvariantCulture, $"{Slug(model.Name)}-dummy-seed{dummy.Seed}-{hash}");
        var folder = Path.Combine(cacheRoot, "hf-models", name);
        if (File.Exists(Path.Combine(folder, SafetensorsDirectory.SingleFileName)))
            return folder;

        progress?.Invoke($"Writing {model.Name}'s dummy weights once as a Hugging Face directory: {folder}");
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        var staging = $"{folder}.partial-{Environment.ProcessId}";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, ModelConfigReader.ConfigFileName), config);
            if (TokenizerLoader.EmbeddedFits(model.Config.VocabSize))
                TokenizerLoader.WriteQwen3Files(staging);
            SafetensorsWriter.Write(dummy, Path.Combine(staging, SafetensorsDirectory.SingleFileName));
            Directory.Move(staging, folder); // all or nothing: a folder that exists is complete
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, SafetensorsDirectory.SingleFileName)))
        {
            // Another llmbench wrote the same folder first; its bytes are the same.
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }

        return folder;
    }

    private static string Slug(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-').ToArray());
}
