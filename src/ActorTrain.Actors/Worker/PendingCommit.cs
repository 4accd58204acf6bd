using ActorTrain.Actors.Protocol;
using ActorTrain.Torch.Training;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A push awaiting its shards' acks, and the micro-batches it commits once every shard has acked: one micro-batch's
/// gradient, or a local SGD / DiLoCo round's pseudo-gradient covering all the round's micro-batches.
/// </summary>
internal sealed class PendingCommit(int shards, IReadOnlyList<((int Epoch, int MicroBatch) Key, MicroBatchResult Result)> batches)
{
    public int Remaining { get; set; } = shards;
    public IReadOnlyList<((int Epoch, int MicroBatch) Key, MicroBatchResult Result)> Batches { get; } = batches;
    public long Version { get; set; }

    /// <summary>One micro-batch's gradient: its L2 norm (divergence detection watches it).</summary>
    public double GradientNorm { get; init; }

    /// <summary>Why the micro-batch was not trained on (its pushes were skip markers), or null.</summary>
    public string? Skipped { get; set; }

    /// <summary>
    /// The commits to send once every shard has acked: one per micro-batch, the last marked as completing the update
    /// (a local round's micro-batches were applied as one). A skipped micro-batch consumed no samples.
    /// </summary>
    public IEnumerable<BatchCompleted> Reports(string workerId, long incarnation) =>
        Batches.Select((b, i) => new BatchCompleted(workerId, incarnation, b.Key.Epoch, b.Key.MicroBatch, b.Result.LossSum, Skipped is null ? b.Result.Samples : 0,
            Version, CompletesUpdate: i == Batches.Count - 1, GradientNorm, Skipped));
}
