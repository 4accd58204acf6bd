namespace ActorTrain.Core.Divergence;

/// <summary>
/// Divergence by NaN or infinity: the run has diverged when at least <see cref="Limit"/> of the last
/// <see cref="Window"/> reports were not finite. Counting reports, not seconds, makes the verdict the same however fast
/// the run goes and on every replay.
/// </summary>
public sealed record NonFiniteCounter
{
    /// <summary>What the stream measures, as reasons name it.</summary>
    public string Quantity { get; init; } = "loss";

    public int Limit { get; init; } = 3;
    public int Window { get; init; } = 100;

    public NonFiniteState Start => NonFiniteState.Initial;

    public (NonFiniteState State, DivergenceDecision Decision) Decide(NonFiniteState state, MetricSample sample)
    {
        var report = state.Reports + 1;
        var finite = double.IsFinite(sample.Value);
        var kept = state.NonFinite.RemoveAll(n => n.Report <= report - Window);
        if (!finite) kept = kept.Add((report, sample));
        var next = new NonFiniteState(report, kept);
        var what = $"{Quantity} {sample.Value:g4} at update {sample.Update}";
        var count = $"{kept.Length} of the last {Math.Min(report, Window)} reports";
        if (finite) return (next, DivergenceDecision.Healthy($"{what} is finite; {count} were not"));
        if (kept.Length < Limit) return (next, new DivergenceDecision(false, true, $"{what} is not finite: {count}, fewer than {Limit}"));

        var first = kept[0].Sample;
        var seconds = (sample.At - first.At).TotalSeconds;
        var list = string.Join(", ", kept.Select(n => $"{n.Sample.Value} at update {n.Sample.Update}"));
        return (next, new DivergenceDecision(true, true, $"{count} were not finite ({list}; over {seconds:0.#} s): diverged"));
    }
}
