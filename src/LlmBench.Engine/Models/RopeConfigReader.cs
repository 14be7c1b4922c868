namespace LlmBench.Engine.Models;

/// <summary>
/// RoPE settings: transformers 4 writes rope_theta and rope_scaling at the top level, transformers 5
/// gathers them in rope_parameters; both spell the scaling kind rope_type (older files: type).
/// </summary>
internal static class RopeConfigReader
{
    public static double ReadTheta(JsonFields json)
    {
        var theta = json.OptionalObject("rope_parameters")?.OptionalDouble("rope_theta")
            ?? json.OptionalDouble("rope_theta")
            ?? 10000.0;
        return theta > 0 ? theta : throw new UserErrorException($"{json.FilePath}: rope_theta must be positive, but it is {theta}.");
    }

    public static RopeScaling? ReadScaling(JsonFields json)
    {
        if ((json.OptionalObject("rope_scaling") ?? json.OptionalObject("rope_parameters")) is not { } scaling)
            return null;

        var type = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type") ?? "default";
        return type switch
        {
            "default" => null,
            "llama3" => new RopeScaling(
                type,
                Factor: Required(scaling, "factor"),
                LowFreqFactor: Required(scaling, "low_freq_factor"),
                HighFreqFactor: Required(scaling, "high_freq_factor"),
                OriginalMaxPositionEmbeddings: scaling.RequiredInt("original_max_position_embeddings")),
            _ => throw new UserErrorException(
                $"{json.FilePath}: RoPE scaling type \"{type}\" is not supported (supported: default, llama3)."),
        };
    }

    private static double Required(JsonFields json, string field) =>
        json.OptionalDouble(field) ?? throw new UserErrorException($"{json.FilePath} is missing the required field \"{field}\" in its RoPE scaling.");
}
