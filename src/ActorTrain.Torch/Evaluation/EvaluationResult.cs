using ActorTrain.Core.Classification;

namespace ActorTrain.Torch.Evaluation;

/// <summary>Mean loss and accuracy of a set, and its confusion matrix (rows labels, columns predictions).</summary>
public readonly record struct EvaluationResult(double MeanLoss, double Accuracy, int Samples, ConfusionMatrix Confusion);
