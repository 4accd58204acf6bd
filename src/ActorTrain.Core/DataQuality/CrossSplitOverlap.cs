namespace ActorTrain.Core.DataQuality;

/// <summary>Distinct images found in both splits (byte for byte), and how many of them carry different labels there.</summary>
public sealed record CrossSplitOverlap(string First, string Second, int SharedImages, int ConflictingLabels);
