using ActorTrain.Core.Randomness;

namespace ActorTrain.Core.Data;

/// <summary>
/// The fixed geometry of a job's data: each epoch is a seeded permutation of the training samples, cut
/// into micro-batches of a fixed size (the last may be smaller); K consecutive micro-batches form one
/// step (one global batch). Which samples a micro-batch holds depends only on the seed, never on how many
/// workers there are: that is what lets BSP give the same weights with 1, 2 or 4 workers.
/// </summary>
public sealed class BatchPlan
{
    private readonly ulong _seed;
    private EpochOrder? _cached;

    public BatchPlan(int trainCount, int microBatchSize, int microBatchesPerStep, int epochs, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(microBatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(microBatchesPerStep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        TrainCount = trainCount;
        MicroBatchSize = microBatchSize;
        MicroBatchesPerStep = microBatchesPerStep;
        Epochs = epochs;
        _seed = seed;
        MicroBatchesPerEpoch = (trainCount + microBatchSize - 1) / microBatchSize;
        StepsPerEpoch = (MicroBatchesPerEpoch + microBatchesPerStep - 1) / microBatchesPerStep;
    }

    public int TrainCount { get; }
    public int MicroBatchSize { get; }
    public int MicroBatchesPerStep { get; }
    public int Epochs { get; }
    public int MicroBatchesPerEpoch { get; }
    public int StepsPerEpoch { get; }
    public long TotalSteps => (long)StepsPerEpoch * Epochs;
    public long TotalMicroBatches => (long)MicroBatchesPerEpoch * Epochs;

    /// <summary>The global step (counted from 0 across epochs) a micro-batch belongs to.</summary>
    public long StepOf(MicroBatchId id) => (long)id.Epoch * StepsPerEpoch + id.Index / MicroBatchesPerStep;

    /// <summary>Where a micro-batch comes in the whole job, from 0 to <see cref="TotalMicroBatches"/> − 1 (what a learning-rate schedule over micro-batches reads).</summary>
    public long PositionOf(MicroBatchId id) => (long)id.Epoch * MicroBatchesPerEpoch + id.Index;

    public int MicroBatchesInStep(long step)
    {
        var stepInEpoch = (int)(step % StepsPerEpoch);
        return Math.Min(MicroBatchesPerStep, MicroBatchesPerEpoch - stepInEpoch * MicroBatchesPerStep);
    }

    /// <summary>The training-sample indices of one micro-batch.</summary>
    public int[] SamplesOf(MicroBatchId id)
    {
        if (id.Epoch < 0 || id.Epoch >= Epochs || id.Index < 0 || id.Index >= MicroBatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(id), id, "no such micro-batch in this plan");
        var order = OrderOf(id.Epoch);
        var start = id.Index * MicroBatchSize;
        return order.AsSpan(start, Math.Min(MicroBatchSize, TrainCount - start)).ToArray();
    }

    /// <summary>The full assignment for one micro-batch.</summary>
    public BatchAssignment AssignmentOf(MicroBatchId id)
    {
        var step = StepOf(id);
        return new BatchAssignment(id, step, id.Index % MicroBatchesPerStep, MicroBatchesInStep(step), SamplesOf(id));
    }

    /// <summary>The epoch's order; the last one is cached as one immutable pair, so concurrent callers never mix epochs.</summary>
    private int[] OrderOf(int epoch)
    {
        var cached = Volatile.Read(ref _cached);
        if (cached is not null && cached.Epoch == epoch) return cached.Order;
        var order = SplitMix64.For(_seed, RandomPurpose.EpochShuffle, (ulong)epoch).Permutation(TrainCount);
        Volatile.Write(ref _cached, new EpochOrder(epoch, order));
        return order;
    }

    private sealed record EpochOrder(int Epoch, int[] Order);
}
