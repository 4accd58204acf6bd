namespace ActorTrain.Core.History.Invariants;

/// <summary>Verdicts as the CLI prints them, one line each.</summary>
public static class InvariantReport
{
    /// <summary>For example <c>invariant 1 (no push applied twice): holds — 1234 pushes applied, …</c>.</summary>
    public static string Line(InvariantVerdict verdict)
    {
        var state = !verdict.Checked ? "not checked" : verdict.Holds ? "holds" : "VIOLATED";
        return $"invariant {verdict.Number} ({verdict.Name}): {state} — {verdict.Detail}";
    }

    public static string Format(IEnumerable<InvariantVerdict> verdicts) => string.Join('\n', verdicts.Select(Line));

    /// <summary>True when no verdict is a violation (a verdict not checked is not one).</summary>
    public static bool AllHold(IEnumerable<InvariantVerdict> verdicts) => verdicts.All(v => v.Holds);
}
