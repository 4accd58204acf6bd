namespace ActorTrain.Core.Classification;

/// <summary>One class's precision, recall and F1, and its support (samples labelled with it).</summary>
public sealed record ClassMetrics(int Class, long Support, double Precision, double Recall, double F1);
