using ActorTrain.Core.Hyperparameters.Policies;

namespace ActorTrain.Core.Tests.Hyperparameters;

/// <summary>
/// One ReduceLROnPlateau run recorded from PyTorch (see record_pytorch.py): its arguments, the metrics fed to
/// step(), and after each step the group's lr, best, num_bad_epochs and cooldown_counter.
/// </summary>
internal sealed record PlateauRecord(
    string Name, double Rate, string Mode, double Factor, int Patience, double Threshold, string ThresholdMode,
    int Cooldown, double MinLr, double Eps,
    double[] Metrics, double[] Rates, double[] Bests, int[] BadEpochs, int[] Cooldowns)
{
    public ReduceOnPlateau Policy => new()
    {
        Metric = WatchedMetric.ValidationLoss,
        Mode = Mode == "max" ? MetricMode.Max : MetricMode.Min,
        Factor = Factor,
        Patience = Patience,
        Threshold = Threshold,
        ThresholdMode = ThresholdMode == "abs" ? Core.Hyperparameters.Policies.ThresholdMode.Absolute : Core.Hyperparameters.Policies.ThresholdMode.Relative,
        Cooldown = Cooldown,
        MinRate = MinLr,
        Eps = Eps,
    };
}
