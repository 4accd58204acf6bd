namespace ActorTrain.Core.Consistency;

/// <summary>
/// Which live mode switches a job accepts. ASP, SSP(s), local SGD(H) and DiLoCo(H) all apply each push on arrival, so
/// shards and workers can change among them at any moment (a worker's open local round closes under the mode it began
/// in). BSP counts its steps from the job's start, so it is chosen when the job starts and never switched to or from.
/// </summary>
public static class LiveModeSwitch
{
    public const string Expected = "asp, ssp:s, local-sgd:H or diloco:H";

    /// <summary>Why switching a job that started in <paramref name="started"/> to <paramref name="requested"/> is refused; null when it is accepted.</summary>
    public static string? Refusal(ConsistencyMode started, string requested, int staleness, int innerSteps)
    {
        if (!ConsistencyModes.ByName.TryGetValue(requested, out var mode)) return $"unknown mode '{requested}': expected {Expected}";
        if (started == ConsistencyMode.Bsp) return "this job runs BSP, whose steps are counted from the start: it cannot switch while it runs";
        if (mode == ConsistencyMode.Bsp)
            return $"BSP is chosen when a job starts (its steps are counted from the start); live switches are among {Expected}";
        if (mode == ConsistencyMode.Ssp && staleness < 0) return $"an SSP bound of {staleness} clocks is negative";
        if (mode.IsLocal() && innerSteps < 0) return $"a round of {innerSteps} micro-batches is negative (0 keeps the current H)";
        return null;
    }
}
