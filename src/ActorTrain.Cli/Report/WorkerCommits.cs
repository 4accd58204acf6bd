namespace ActorTrain.Cli.Report;

/// <summary>One worker's committed micro-batches over time: (seconds, micro-batches committed so far), thinned for plotting.</summary>
public sealed record WorkerCommits(string WorkerId, IReadOnlyList<(double Seconds, long Committed)> Series)
{
    public long Total => Series.Count == 0 ? 0 : Series[^1].Committed;
}
