namespace ActorTrain.Torch.Data;

/// <summary>The three disjoint splits of a dataset.</summary>
public sealed record DatasetSplits(LabeledSamples Train, LabeledSamples Validation, LabeledSamples Test);
