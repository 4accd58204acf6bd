namespace ActorTrain.Core.Hyperparameters;

/// <summary>Optimizer and its hyperparameters; momentum applies to SGD, betas to Adam and AdamW.</summary>
public sealed record OptimizerSpec(
    OptimizerKind Kind,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    double Beta1,
    double Beta2,
    bool Nesterov);
