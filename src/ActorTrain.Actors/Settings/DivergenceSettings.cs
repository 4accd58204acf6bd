using ActorTrain.Core.Divergence;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.policy.divergence: detect divergence from the committed micro-batches (<see cref="DivergenceWatch"/>: non-finite
/// losses or gradients, loss spikes, gradient-norm spikes), then roll every shard back to the last complete checkpoint before
/// the trouble, multiply the learning rate by <see cref="Factor"/>, skip the trouble's micro-batches and go on, at most
/// <see cref="MaxRollbacks"/> times (<see cref="Coordinator.Rollbacks"/>). Off unless <c>enabled = on</c>; <see cref="Watch"/> is null then.
/// </summary>
public sealed record DivergenceSettings(DivergenceWatch? Watch, double Factor, int MaxRollbacks, int KeepCheckpoints)
{
    public static readonly DivergenceSettings Off = new(null, 1, 0, 1);

    public static DivergenceSettings Create(SettingsReader r)
    {
        if (!r.Bool("enabled")) return Off;
        var nonFinite = r.Section("non-finite");
        var watch = new DivergenceWatch
        {
            NonFinite = nonFinite.Bool("enabled")
                ? new NonFiniteCounter { Limit = nonFinite.Int("limit", 1, 1_000_000), Window = nonFinite.Int("window", 1, 1_000_000) }
                : null,
            LossSpike = Spike(r.Section("loss-spike"), "loss"),
            GradientSpike = Spike(r.Section("gradient-norm-spike"), "gradient norm"),
            CalmReports = r.Int("calm-reports", 1, 1_000_000),
        };
        if (watch.NonFinite is { } counter && counter.Limit > counter.Window)
            throw nonFinite.Bad("limit", counter.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most window ({counter.Window})");
        return new DivergenceSettings(watch, r.Double("lr-factor", 1e-9, 1), r.Int("max-rollbacks", 0, 1_000_000), r.Int("keep-checkpoints", 1, 100));
    }

    private static SpikeDetector? Spike(SettingsReader r, string quantity)
    {
        if (!r.Bool("enabled")) return null;
        var window = r.Int("window", 2, 100_000);
        var minSamples = r.Int("min-samples", 2, 100_000);
        if (minSamples > window) throw r.Bad("min-samples", minSamples.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most window ({window})");
        return new SpikeDetector
        {
            Quantity = quantity, Window = window, MinSamples = minSamples, Threshold = r.Double("threshold", 0, 1e9), Consecutive = r.Int("consecutive", 1, 100_000),
            MinDeviation = r.Double("min-deviation", 0, 1e9), RelativeMinDeviation = r.Double("relative-min-deviation", 0, 1e9),
        };
    }
}
