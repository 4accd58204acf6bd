namespace ActorTrain.Torch.Data;

/// <summary>Shape and difficulty of the synthetic classification task.</summary>
/// <param name="TrainSize">Samples in the training split (at least 1).</param>
/// <param name="ValidationSize">Samples in the validation split.</param>
/// <param name="TestSize">Samples in the test split.</param>
/// <param name="FeatureCount">Features per sample; the sample shape is [FeatureCount].</param>
/// <param name="ClassCount">Classes, 2 to 256.</param>
/// <param name="Seed">The job seed; the same options give the same data.</param>
/// <param name="Noise">Spread of each sample around its class centre, relative to the spread of the centres.</param>
public sealed record SyntheticOptions(
    int TrainSize, int ValidationSize, int TestSize, int FeatureCount, int ClassCount, ulong Seed, float Noise);
