using System.Text.Json;
using System.Text.Unicode;

namespace LlmBench.Engine.Weights;

/// <summary>
/// A checkpoint split over several .safetensors files, as model.safetensors.index.json describes it
/// ("weight_map": tensor name → shard file name); one source over all shards.
/// </summary>
public sealed class ShardedSafetensors : IMappedTensorSource
{
    private readonly SafetensorsFile[] _shards;
    private readonly Dictionary<string, SafetensorsFile> _owner;

    private ShardedSafetensors(SafetensorsFile[] shards, Dictionary<string, SafetensorsFile> owner)
    {
        _shards = shards;
        _owner = owner;
    }

    public IReadOnlyCollection<string> Names => _owner.Keys;

    public IReadOnlyList<string> ShardPaths => [.. _shards.Select(s => s.FilePath)];

    /// <summary>Opens every shard the index names, checking that each holds the tensors the index gives it.</summary>
    public static ShardedSafetensors Open(string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var shardName in weightMap.Values.Distinct(StringComparer.Ordinal))
            {
                var shardPath = Path.Combine(directory, shardName);
                if (!File.Exists(shardPath))
                    throw new UserErrorException($"{indexPath} names the shard {shardName}, which is missing from {directory} (incomplete download?).");
                shards.Add(shardName, SafetensorsFile.Open(shardPath));
            }

            var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach (var shard in shards.Values)
            {
                foreach (var name in shard.Names)
                {
                    if (!owner.TryAdd(name, shard))
                        throw new SafetensorsFormatException(indexPath, $"tensor {name} is stored in both {owner[name].FilePath} and {shard.FilePath}");
                }
            }

            foreach (var (name, shardName) in weightMap)
            {
                if (!owner.TryGetValue(name, out var shard) || shard != shards[shardName])
                    throw new SafetensorsFormatException(indexPath, $"its weight_map puts {name} in {shardName}, but that shard does not hold it");
            }

            return new ShardedSafetensors([.. shards.Values], owner);
        }
        catch
        {
            foreach (var shard in shards.Values)
                shard.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _owner.ContainsKey(name);

    public TensorInfo GetInfo(string name) => Shard(name).GetInfo(name);

    public ReadOnlySpan<byte> GetBytes(string name) => Shard(name).GetBytes(name);

    public void ReadFloat32(string name, Span<float> destination) => Shard(name).ReadFloat32(name, destination);

    public void ReadRaw(string name, Span<byte> destination) => Shard(name).ReadRaw(name, destination);

    public void Dispose()
    {
        foreach (var shard in _shards)
            shard.Dispose();
    }

    private SafetensorsFile Shard(string name) =>
        _owner.TryGetValue(name, out var shard) ? shard : throw new KeyNotFoundException($"No shard holds a tensor named {name}.");

    /// <summary>Reads the weight_map; shard names must be plain file names so an index cannot point outside its directory.</summary>
    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        JsonDocument document;
        try
        {
            var bytes = File.ReadAllBytes(indexPath);
            if (!Utf8.IsValid(bytes))
                throw new SafetensorsFormatException(indexPath, "it is not valid UTF-8 text");
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException(indexPath, $"it is not valid JSON ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"Cannot read {indexPath}: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, "it has no \"weight_map\" object");

            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var shardName = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                if (shardName.Length == 0 || shardName != Path.GetFileName(shardName) || shardName is "." or "..")
                    throw new SafetensorsFormatException(indexPath, $"its weight_map gives {entry.Name} the shard {entry.Value.GetRawText()}, which is not a plain file name");
                if (!weightMap.TryAdd(entry.Name, shardName))
                    throw new SafetensorsFormatException(indexPath, $"its weight_map lists {entry.Name} twice");
            }

            if (weightMap.Count == 0)
                throw new SafetensorsFormatException(indexPath, "its weight_map is empty");
            return weightMap;
        }
    }
}
