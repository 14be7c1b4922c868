namespace LlmBench.Gpu;

/// <summary>A GPU's compute capability (major.minor), and what that means for LlmBench.</summary>
public readonly record struct ComputeCapability(int Major, int Minor) : IComparable<ComputeCapability>
{
    /// <summary>Volta: the oldest architecture our kernels target (tensor cores, independent thread scheduling).</summary>
    public static readonly ComputeCapability MinimumSupported = new(7, 0);

    public bool IsSupported => CompareTo(MinimumSupported) >= 0;

    /// <summary>bf16 tensor-core math arrived with Ampere (8.0).</summary>
    public bool SupportsBf16 => CompareTo(new ComputeCapability(8, 0)) >= 0;

    /// <summary>fp8 (e4m3/e5m2) tensor-core math arrived with Ada (8.9) and Hopper (9.0).</summary>
    public bool SupportsFp8 => CompareTo(new ComputeCapability(8, 9)) >= 0;

    /// <summary>Programmatic dependent launch (a kernel starting while its predecessor finishes) arrived with Hopper (9.0).</summary>
    public bool SupportsProgrammaticDependentLaunch => Major >= 9;

    public string Architecture => (Major, Minor) switch
    {
        (7, 0) or (7, 2) => "Volta",
        (7, 5) => "Turing",
        (8, 0) or (8, 6) or (8, 7) => "Ampere",
        (8, 9) => "Ada",
        (9, _) => "Hopper",
        (10, _) or (11, _) or (12, _) => "Blackwell",
        (< 7, _) => "pre-Volta",
        _ => "unknown",
    };

    public int CompareTo(ComputeCapability other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) < 0;

    public static bool operator >(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) > 0;

    public static bool operator <=(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ComputeCapability left, ComputeCapability right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
