namespace ActorTrain.Core.Hyperparameters.Policies;

/// <summary>
/// Whether the run should stop after an evaluation, which evaluation was best so far, and why. With
/// <see cref="RestoreBest"/>, a stopping run ends with the checkpoint of <see cref="Best"/>'s update.
/// </summary>
public sealed record EarlyStoppingDecision(bool Stop, Evaluation? Best, bool RestoreBest, string Reason);
