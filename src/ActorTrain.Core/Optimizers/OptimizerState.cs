namespace ActorTrain.Core.Optimizers;

/// <summary>
/// Everything a <see cref="ShardOptimizer"/> needs to carry on exactly where it was: the weights, the moment
/// buffers its kind keeps (null when it keeps none), whether the first step was taken, and the step count.
/// A snapshot holds one of these; restoring it and stepping on gives bitwise the same weights as never stopping.
/// </summary>
public sealed record OptimizerState(float[] Weights, float[]? First, float[]? Second, bool Started, long Steps);
