using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.History.Invariants;

/// <summary>Invariant 4: a run that was BSP throughout ends with the weights of the fault-free reference run, bit for bit (by hash).</summary>
internal static class FinalWeightsCheck
{
    public const int Number = 4;
    public const string Name = "BSP weights equal the reference";

    public static InvariantVerdict Check(IReadOnlyList<HistoryEvent> history, InvariantCheckOptions options)
    {
        if (options.ReferenceWeightsHash is not { } reference) return InvariantVerdict.NotChecked(Number, Name, "no reference hash given");
        if (options.Mode != ConsistencyMode.Bsp || history.OfType<ModeChanged>().Any(c => c.Mode != ConsistencyMode.Bsp))
            return InvariantVerdict.NotChecked(Number, Name, "the run was not BSP throughout");

        var finals = history.OfType<FinalWeights>().ToArray();
        if (finals.Length == 0) return new InvariantVerdict(Number, Name, false, "no final weights recorded");
        var violations = new Violations();
        foreach (var final in finals.Where(f => !string.Equals(f.Hash, reference, StringComparison.OrdinalIgnoreCase)))
            violations.Add($"final weights {final.Hash} differ from the reference {reference}");
        return violations.Verdict(Number, Name, $"final weights {finals[0].Hash} equal the reference");
    }
}
