using ActorTrain.Core.Data;

namespace ActorTrain.Core.Divergence;

/// <summary>
/// One committed micro-batch as divergence detection sees it: which it was, the update it belongs to, when, its mean
/// loss and its gradient's L2 norm (either non-finite when the worker found it so).
/// </summary>
public sealed record DivergenceReport(MicroBatchId MicroBatch, long Update, DateTimeOffset At, double Loss, double GradientNorm);
