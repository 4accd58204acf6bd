namespace ActorTrain.Chaos.Runner;

/// <summary>A chaos run's result: its verdicts, what each scheduled fault did, and where it ran.</summary>
public sealed record ChaosOutcome(string Scenario, IReadOnlyList<Verdict> Verdicts, IReadOnlyList<Injection> Injections, string WorkFolder, string? RunFolder,
    double WallSeconds)
{
    public bool Passed => Verdicts.All(v => v.Holds);

    /// <summary>The exit code of <c>actortrain chaos</c> for this run: 0 when every verdict holds.</summary>
    public int ExitCode => Passed ? 0 : FailedExitCode;

    public const int FailedExitCode = 6;
}
