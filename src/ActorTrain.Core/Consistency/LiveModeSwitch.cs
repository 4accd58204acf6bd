namespace ActorTrain.Core.Consistency;

/// <summary>
/// Which live mode switches a job accepts. ASP, SSP(s), local SGD(H) and DiLoCo(H) all apply each push on arrival, so
/// shards and workers change among them at once (a worker's open local round closes under the mode it began in). A
/// switch to or from BSP is accepted too, but takes effect at a step boundary (<see cref="StepBoundarySwitch"/>), one at
/// a time: a second switch while one waits for its boundary is refused.
/// </summary>
public static class LiveModeSwitch
{
    public const string Expected = "asp, bsp, ssp:s, local-sgd:H or diloco:H";

    /// <summary>Why switching a job running <paramref name="current"/> to <paramref name="requested"/> is refused; null when it is accepted.</summary>
    /// <param name="pending">The switch still waiting for its step boundary, as users write it; null when none is.</param>
    public static string? Refusal(ConsistencyMode current, string requested, int staleness, int innerSteps, string? pending = null)
    {
        if (!ConsistencyModes.ByName.TryGetValue(requested, out var mode)) return $"unknown mode '{requested}': expected {Expected}";
        if (mode == ConsistencyMode.Bsp && current == ConsistencyMode.Bsp) return "the job runs BSP already";
        if (mode == ConsistencyMode.Ssp && staleness < 0) return $"an SSP bound of {staleness} clocks is negative";
        if (mode.IsLocal() && innerSteps < 0) return $"a round of {innerSteps} micro-batches is negative (0 keeps the current H)";
        if (pending != null) return $"a switch to {pending} is still waiting for its step boundary; ask again once it is in force";
        return null;
    }

    /// <summary>Whether switching from <paramref name="from"/> to <paramref name="to"/> must wait for a step boundary.</summary>
    public static bool WaitsForStepBoundary(ConsistencyMode from, ConsistencyMode to) => from == ConsistencyMode.Bsp || to == ConsistencyMode.Bsp;
}
