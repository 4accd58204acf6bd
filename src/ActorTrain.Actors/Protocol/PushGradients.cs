using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker → shard: the gradient (summed over <see cref="Samples"/> samples) of one micro-batch for this
/// shard's range, computed on weights at <see cref="BaseVersion"/>. <see cref="Seq"/> counts this worker
/// incarnation's pushes to this shard from 1; the shard applies each (worker, incarnation, seq) at most once.
/// <see cref="Clock"/> is how many micro-batches this worker incarnation has computed, this one included (SSP).
/// <see cref="Kind"/> says what <see cref="Gradient"/> holds: a gradient summed over <see cref="Samples"/> samples, or a local
/// SGD / DiLoCo round's pseudo-gradient (start − end weights, over the round's samples), which the shard applies as-is
/// with the outer optimizer of that mode and does not divide by the sample count.
/// <see cref="OffStep"/> (BSP): computed on weights other than its step's, because a shard was already more than a step
/// past it when the micro-batch came again (its assignment lost with a coordinator, or its first holder lost). Such a
/// gradient differs from the first computation's, whose pushes the workers still hold for any shard that lacks them; a
/// shard fills a step's slot with it only if no other copy comes in time (<see cref="ParameterServer.OffStepPushes"/>).
/// <see cref="Skipped"/>: a skip marker for a micro-batch not trained on, with no gradient and 0 samples; it fills its BSP
/// slot with nothing and changes no weights.
/// Replies: <see cref="GradientsApplied"/> (also for a duplicate), or <see cref="PushRejected"/>.
/// </summary>
[MessagePackObject]
public sealed record PushGradients(
    [property: Key(0)] int ShardId,
    [property: Key(1)] string WorkerId,
    [property: Key(2)] long Incarnation,
    [property: Key(3)] long Seq,
    [property: Key(4)] long Step,
    [property: Key(5)] int IndexInStep,
    [property: Key(6)] int MicroBatchesInStep,
    [property: Key(7)] int Samples,
    [property: Key(8)] long BaseVersion,
    [property: Key(9)] TensorPayload Gradient,
    [property: Key(10)] long Clock = 0,
    [property: Key(11)] PushKind Kind = PushKind.Gradient,
    [property: Key(12)] bool OffStep = false,
    [property: Key(13)] bool Skipped = false) : IShardMessage;
