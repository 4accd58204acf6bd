namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>One validation run the evaluator reported: the parameter version it evaluated, when, and what it measured.</summary>
public sealed record Evaluation(long Update, DateTimeOffset At, double ValidationLoss, double ValidationAccuracy)
{
    public double Value(WatchedMetric metric) => metric == WatchedMetric.ValidationAccuracy ? ValidationAccuracy : ValidationLoss;

    /// <summary>The metric's name as reasons say it.</summary>
    public static string Describe(WatchedMetric metric) => metric == WatchedMetric.ValidationAccuracy ? "validation accuracy" : "validation loss";
}
