namespace ActorTrain.Chaos.Runner;

/// <summary>What the fault-free run of a scenario's job and seed ended with: invariant 4 compares hashes, 6 accuracies.</summary>
public sealed record ReferenceResult(double TestAccuracy, string WeightsSha256, string RunFolder);
