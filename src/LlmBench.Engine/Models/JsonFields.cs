using System.Text.Json;
using System.Text.Unicode;

namespace LlmBench.Engine.Models;

/// <summary>
/// Typed access to the fields of one JSON object read from a model file, so that every problem is
/// reported as one sentence naming the field and the file (config.json errors are user errors).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _root;

    public JsonFields(JsonElement root, string filePath)
    {
        _root = root;
        FilePath = filePath;
    }

    public string FilePath { get; }

    /// <summary>Parses <paramref name="filePath"/>, which must hold one JSON object.</summary>
    public static JsonDocument ParseFile(string filePath)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(filePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserErrorException($"Cannot read {filePath}: {ex.Message}", ex);
        }

        if (!Utf8.IsValid(bytes))
            throw new UserErrorException($"{filePath} is not valid UTF-8 text.");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new UserErrorException($"{filePath} is not valid JSON ({ex.Message}).", ex);
        }

        var kind = document.RootElement.ValueKind;
        if (kind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new UserErrorException($"{filePath} must hold a JSON object, not {kind}.");
        }

        return document;
    }

    /// <summary>The field's value, or null when it is absent or JSON null (HF writes null for "unset").</summary>
    public JsonElement? Find(string field) =>
        _root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public int RequiredInt(string field) =>
        OptionalInt(field) ?? throw new UserErrorException($"{FilePath} is missing the required field \"{field}\".");

    public int? OptionalInt(string field)
    {
        if (Find(field) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && Math.Floor(real) == real && real is < int.MinValue or > int.MaxValue)
            throw new UserErrorException($"{FilePath}: \"{field}\" is out of range: it is {Describe(value)}, and the largest value allowed is {int.MaxValue}.");

        throw Invalid(field, "an integer", value);
    }

    public double? OptionalDouble(string field)
    {
        if (Find(field) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
            return number;
        throw Invalid(field, "a number", value);
    }

    public bool? OptionalBool(string field)
    {
        if (Find(field) is not { } value)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(field, "true or false", value),
        };
    }

    public string? OptionalString(string field)
    {
        if (Find(field) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(field, "a string", value);
    }

    /// <summary>An int or a list of ints (eos_token_id is either); null when absent.</summary>
    public int[]? OptionalIntOrIntList(string field)
    {
        if (Find(field) is not { } value)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var single))
            return [single];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(field, "an integer or a list of integers", value);

        var ids = new List<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id))
                throw Invalid(field, "an integer or a list of integers", value);
            ids.Add(id);
        }

        return [.. ids];
    }

    /// <summary>A nested object (rope_scaling, rope_parameters), null when absent.</summary>
    public JsonFields? OptionalObject(string field)
    {
        if (Find(field) is not { } value)
            return null;
        return value.ValueKind == JsonValueKind.Object
            ? new JsonFields(value, FilePath)
            : throw Invalid(field, "an object", value);
    }

    /// <summary>The string items of an array field such as "architectures"; empty when absent.</summary>
    public string[] OptionalStringList(string field)
    {
        if (Find(field) is not { } value)
            return [];
        if (value.ValueKind != JsonValueKind.Array)
            throw Invalid(field, "a list of strings", value);
        return [.. value.EnumerateArray().Select(item =>
            item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid(field, "a list of strings", value))];
    }

    public UserErrorException Invalid(string field, string expected, JsonElement actual) =>
        new($"{FilePath}: \"{field}\" must be {expected}, but it is {Describe(actual)}.");

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "...";
    }
}
