using System.Collections.Immutable;

namespace ActorTrain.Core.Divergence;

/// <summary>
/// Loss-spike (or gradient-norm-spike) detection over one stream of reports. A report is a spike when its z-score
/// against the last <see cref="Window"/> values, (value - mean) / standard deviation (sample, n - 1), is above
/// <see cref="Threshold"/>; only upward spikes count. The run has diverged when <see cref="Consecutive"/> reports in a
/// row are spikes. Nothing is judged before <see cref="MinSamples"/> values are in the window. Spikes are kept out of
/// the window, so a run of them is measured against the healthy history before it; a report that is not a spike ends
/// the run of spikes. A window whose values are all equal has no spread: any value above its mean is then a spike.
/// Non-finite values are left to <see cref="NonFiniteCounter"/> and change nothing here.
/// </summary>
public sealed record SpikeDetector
{
    /// <summary>What the stream measures, as reasons name it ("loss", "gradient norm").</summary>
    public string Quantity { get; init; } = "loss";

    public int Window { get; init; } = 50;
    public double Threshold { get; init; } = 6;
    public int MinSamples { get; init; } = 10;

    /// <summary>The standard deviation a z-score divides by is at least this plus <see cref="RelativeMinDeviation"/> × |mean|.</summary>
    public double MinDeviation { get; init; }

    /// <summary>See <see cref="MinDeviation"/>.</summary>
    public double RelativeMinDeviation { get; init; }

    /// <summary>K: how many spikes in a row count as divergence.</summary>
    public int Consecutive { get; init; } = 3;

    public SpikeState Start => SpikeState.Initial;

    public (SpikeState State, DivergenceDecision Decision) Decide(SpikeState state, MetricSample sample)
    {
        var value = sample.Value;
        var what = $"{Quantity} {value:g4} at update {sample.Update}";
        if (!double.IsFinite(value)) return (state, DivergenceDecision.Healthy($"{what} is not finite; the non-finite counter judges it"));
        if (state.Recent.Length < MinSamples)
            return (Admit(state, value), DivergenceDecision.Healthy($"{what}: {state.Recent.Length} of the {MinSamples} values needed before judging"));

        var (mean, measured) = Statistics(state.Recent);
        // A window with (almost) no spread would call any rise a spike: a loss of 1e-5 after a run of zeros is not one.
        var deviation = Math.Max(measured, MinDeviation + RelativeMinDeviation * Math.Abs(mean));
        var z = deviation > 0 ? (value - mean) / deviation : value > mean ? double.PositiveInfinity : 0;
        var baseline = $"the mean of the last {state.Recent.Length} ({mean:g3} ± {deviation:g2})";
        var standing = double.IsPositiveInfinity(z) ? $"is above {baseline}, which has no spread," : $"is {z:0.0} standard deviations above {baseline}";
        if (!(z > 0)) return (Admit(state, value), DivergenceDecision.Healthy($"{what} is not above {baseline}"));
        if (!(z > Threshold)) return (Admit(state, value), DivergenceDecision.Healthy($"{what} {standing}, within {Threshold:g3}"));

        var spikes = state.Spikes + 1;
        var next = state with { Spikes = spikes };
        var reports = spikes == 1 ? "1 report" : $"{spikes} reports";
        return spikes >= Consecutive
            ? (next, new DivergenceDecision(true, true, $"{what} {standing} for {reports}: diverged"))
            : (next, new DivergenceDecision(false, true, $"{what} {standing} for {reports}, fewer than {Consecutive}"));
    }

    private SpikeState Admit(SpikeState state, double value)
    {
        var recent = state.Recent.Length >= Window ? state.Recent.RemoveRange(0, state.Recent.Length - Window + 1) : state.Recent;
        return new SpikeState(recent.Add(value), 0);
    }

    /// <summary>Mean and sample standard deviation, summed in order so every replay gets the same doubles.</summary>
    private static (double Mean, double Deviation) Statistics(ImmutableArray<double> values)
    {
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return (mean, values.Length > 1 ? Math.Sqrt(squares / (values.Length - 1)) : 0);
    }
}
