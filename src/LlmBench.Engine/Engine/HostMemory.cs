namespace LlmBench.Engine;

/// <summary>The memory this process can still use: Linux's MemAvailable, capped by the GC's limit (a container's).</summary>
public static class HostMemory
{
    public static long AvailableBytes()
    {
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var available = MemAvailable();
        if (available is not { } bytes)
            return limit;
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        return Math.Min(bytes, Math.Max(0, limit - heap));
    }

    private static long? MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], out var kib) ? kib * 1024 : null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
