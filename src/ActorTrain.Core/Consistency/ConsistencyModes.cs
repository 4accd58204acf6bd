namespace ActorTrain.Core.Consistency;

/// <summary>Consistency modes as users write them (asp, bsp, ssp:s, local-sgd:H, diloco:H), and what each one implies.</summary>
public static class ConsistencyModes
{
    public static readonly IReadOnlyDictionary<string, ConsistencyMode> ByName = new Dictionary<string, ConsistencyMode>(StringComparer.Ordinal)
    {
        ["asp"] = ConsistencyMode.Asp,
        ["bsp"] = ConsistencyMode.Bsp,
        ["ssp"] = ConsistencyMode.Ssp,
        ["local-sgd"] = ConsistencyMode.LocalSgd,
        ["diloco"] = ConsistencyMode.DiLoCo,
    };

    /// <summary>The mode's name without its parameter: asp, bsp, ssp, local-sgd or diloco.</summary>
    public static string NameOf(ConsistencyMode mode) => ByName.First(p => p.Value == mode).Key;

    /// <summary>The mode with its parameter, as the command line takes it: asp, bsp, ssp:s, local-sgd:H or diloco:H.</summary>
    public static string Describe(ConsistencyMode mode, int staleness, int innerSteps) => mode switch
    {
        ConsistencyMode.Ssp => $"ssp:{staleness}",
        _ when mode.IsLocal() => $"{NameOf(mode)}:{innerSteps}",
        _ => NameOf(mode),
    };

    /// <summary>Local SGD and DiLoCo: workers train rounds of H micro-batches on their own replicas and push pseudo-gradients.</summary>
    public static bool IsLocal(this ConsistencyMode mode) => mode is ConsistencyMode.LocalSgd or ConsistencyMode.DiLoCo;

    /// <summary>What a worker's push holds under this mode.</summary>
    public static PushKind PushKindOf(ConsistencyMode mode) => mode switch
    {
        ConsistencyMode.LocalSgd => PushKind.LocalSgdPseudoGradient,
        ConsistencyMode.DiLoCo => PushKind.DiLoCoPseudoGradient,
        _ => PushKind.Gradient,
    };
}
