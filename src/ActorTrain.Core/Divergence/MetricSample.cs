namespace ActorTrain.Core.Divergence;

/// <summary>One report of a training-time quantity (a batch's loss, a gradient's norm): the update it belongs to, when, and its value.</summary>
public sealed record MetricSample(long Update, DateTimeOffset At, double Value);
