using ActorTrain.Core.Randomness;

namespace ActorTrain.Torch.Models;

/// <summary>
/// The random stream a model's dropout layers draw their masks from, restarted for each micro-batch from the job seed
/// and the micro-batch's key (not torch's global generator: that one is shared by every worker thread of a process,
/// and would make dropout depend on which worker ran first). Layers draw in forward order, which is fixed.
/// </summary>
public sealed class DropoutSource(ulong seed)
{
    private SplitMix64 _random = SplitMix64.For(seed, RandomPurpose.Dropout);

    public void Begin(ulong batchKey) => _random = SplitMix64.For(seed, RandomPurpose.Dropout, batchKey);

    /// <summary>A mask of 0 (dropped, probability <paramref name="p"/>) and 1/(1−p) (kept), so the expected activation is unchanged.</summary>
    public float[] Mask(long length, double p)
    {
        var mask = new float[length];
        var kept = (float)(1.0 / (1.0 - p));
        for (var i = 0; i < mask.Length; i++) mask[i] = _random.NextSingle() < p ? 0f : kept;
        return mask;
    }
}
