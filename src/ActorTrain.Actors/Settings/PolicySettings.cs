using ActorTrain.Core.Hyperparameters.Policies;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.policy: what the coordinator does with the evaluations (<see cref="Coordinator.TrainingControl"/>): lower
/// the learning rate on a plateau (<c>reduce-on-plateau</c>, PyTorch's ReduceLROnPlateau) and end the run when nothing
/// improves (<c>early-stopping</c>); roll back on divergence (<c>divergence</c>, <see cref="DivergenceSettings"/>). Each is off unless <c>enabled = on</c>.
/// </summary>
public sealed record PolicySettings(TrainingPolicies Policies, DivergenceSettings Divergence)
{
    private static readonly Dictionary<string, WatchedMetric> Metrics = new()
    {
        ["validation-loss"] = WatchedMetric.ValidationLoss, ["validation-accuracy"] = WatchedMetric.ValidationAccuracy,
    };

    private static readonly Dictionary<string, MetricMode?> Modes = new() { ["auto"] = null, ["min"] = MetricMode.Min, ["max"] = MetricMode.Max };

    private static readonly Dictionary<string, ThresholdMode> ThresholdModes = new() { ["rel"] = ThresholdMode.Relative, ["abs"] = ThresholdMode.Absolute };

    public static PolicySettings Create(SettingsReader r) =>
        new(new TrainingPolicies(Plateau(r.Section("reduce-on-plateau")), Stopping(r.Section("early-stopping"))), DivergenceSettings.Create(r.Section("divergence")));

    private static ReduceOnPlateau? Plateau(SettingsReader r)
    {
        if (!r.Bool("enabled")) return null;
        var metric = r.Choice("metric", Metrics);
        return new ReduceOnPlateau
        {
            Metric = metric,
            Mode = ModeOf(r, metric),
            Factor = r.Double("factor", 1e-9, 1 - 1e-9),
            Patience = r.Int("patience", 0, 1_000_000),
            Threshold = r.Double("threshold", 0, 1e9),
            ThresholdMode = r.Choice("threshold-mode", ThresholdModes),
            Cooldown = r.Int("cooldown", 0, 1_000_000),
            MinRate = r.Double("min-lr", 0, 1e9),
            Eps = r.Double("eps", 0, 1),
        };
    }

    private static EarlyStopping? Stopping(SettingsReader r)
    {
        if (!r.Bool("enabled")) return null;
        var metric = r.Choice("metric", Metrics);
        return new EarlyStopping
        {
            Metric = metric, Mode = ModeOf(r, metric), Patience = r.Int("patience", 0, 1_000_000), MinDelta = r.Double("min-delta", 0, 1e9), RestoreBest = r.Bool("restore-best"),
        };
    }

    /// <summary>auto: min for a loss, max for an accuracy.</summary>
    private static MetricMode ModeOf(SettingsReader r, WatchedMetric metric) =>
        r.Choice("mode", Modes) ?? (metric == WatchedMetric.ValidationAccuracy ? MetricMode.Max : MetricMode.Min);
}
