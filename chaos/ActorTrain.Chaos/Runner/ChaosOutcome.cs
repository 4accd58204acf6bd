namespace ActorTrain.Chaos.Runner;

/// <summary>A chaos run's result: its verdicts, what each scheduled fault did, and where it ran.</summary>
public sealed record ChaosOutcome(string Scenario, IReadOnlyList<Verdict> Verdicts, IReadOnlyList<Injection> Injections, string WorkFolder, string? RunFolder,
    double WallSeconds)
{
    /// <summary>The job's progress reports as the runner saw them: seconds into training, updates, committed micro-batches.</summary>
    public IReadOnlyList<(double At, long Updates, long MicroBatches)> Progress { get; init; } = [];

    /// <summary>The warnings and errors each process logged, seconds into training.</summary>
    public IReadOnlyList<(double At, string Process, string Message)> Events { get; init; } = [];

    public bool Passed => Verdicts.All(v => v.Holds);

    /// <summary>The exit code of <c>actortrain chaos</c> for this run: 0 when every verdict holds.</summary>
    public int ExitCode => Passed ? 0 : FailedExitCode;

    public const int FailedExitCode = 6;
}
