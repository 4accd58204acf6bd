namespace ActorTrain.Chaos.Runner;

/// <summary>One expectation of a scenario and whether the run met it, with what was measured.</summary>
public sealed record Verdict(string Expectation, bool Holds, string Detail)
{
    public override string ToString() => $"{Expectation}: {(Holds ? "holds" : "VIOLATED")} — {Detail}";
}
