namespace ActorTrain.Torch.Evaluation;

public readonly record struct EvaluationResult(double MeanLoss, double Accuracy, int Samples);
