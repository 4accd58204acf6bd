namespace ActorTrain.Core.Randomness;

/// <summary>The independent random streams of a job, each derived from the job seed.</summary>
public static class RandomPurpose
{
    public const ulong ValidationSplit = 1;
    public const ulong EpochShuffle = 2;
    public const ulong ModelInit = 3;
    public const ulong SyntheticData = 4;
    public const ulong Augmentation = 5;
    public const ulong Dropout = 6;
}
