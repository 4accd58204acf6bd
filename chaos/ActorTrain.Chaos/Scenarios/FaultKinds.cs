namespace ActorTrain.Chaos.Scenarios;

/// <summary>The names fault kinds have in scenario files, and what each needs.</summary>
public static class FaultKinds
{
    private static readonly Dictionary<string, FaultKind> ByName = Enum.GetValues<FaultKind>().ToDictionary(NameOf, k => k);

    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>kill-process, crash-actor, …: the enum name in kebab case.</summary>
    public static string NameOf(FaultKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    public static bool TryParse(string name, out FaultKind kind) => ByName.TryGetValue(name, out kind);

    /// <summary>Faults on messages: applied by the receiving actor's mailbox.</summary>
    public static bool IsMessageFault(FaultKind kind) => kind is FaultKind.Drop or FaultKind.Duplicate or FaultKind.Delay or FaultKind.Reorder or FaultKind.Corrupt;

    /// <summary>Faults that need real processes (signals, links between nodes).</summary>
    public static bool NeedsProcesses(FaultKind kind) =>
        kind is FaultKind.KillProcess or FaultKind.Restart or FaultKind.PauseProcess or FaultKind.SlowProcess or FaultKind.Partition
            or FaultKind.Isolate or FaultKind.KillLoop;

    /// <summary>Faults that last for a duration and are then undone.</summary>
    public static bool HasDuration(FaultKind kind) =>
        kind is FaultKind.PauseProcess or FaultKind.SlowProcess or FaultKind.Partition or FaultKind.Isolate or FaultKind.StoreOutage
            or FaultKind.StoreSlow || IsMessageFault(kind);
}
