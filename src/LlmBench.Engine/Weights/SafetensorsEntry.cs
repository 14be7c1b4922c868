namespace LlmBench.Engine.Weights;

/// <summary>One tensor of a safetensors file: its info and its byte span within the data section.</summary>
internal sealed record SafetensorsEntry(TensorInfo Info, long DataBegin, long DataEnd);
