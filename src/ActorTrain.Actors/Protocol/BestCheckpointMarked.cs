using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → job observer: checkpoint <see cref="CheckpointId"/>, at update
/// <see cref="Updates"/>, holds the best weights so far by the policies' watched metric (<see cref="Metric"/> =
/// <see cref="Value"/>, evaluated at update <see cref="EvaluationUpdate"/>). It is taken right after that evaluation:
/// in BSP with a policy at exactly the evaluated step boundary, in the other modes a few updates later. Marked as it
/// starts: should a shard refuse it, the mark names an incomplete checkpoint and export says a shard lacks it. Its shard
/// snapshots are kept when newer checkpoints replace the others; <c>actortrain export --checkpoint best</c> writes it.
/// </summary>
[MessagePackObject]
public sealed record BestCheckpointMarked(
    [property: Key(0)] long CheckpointId,
    [property: Key(1)] long Updates,
    [property: Key(2)] long EvaluationUpdate,
    [property: Key(3)] string Metric,
    [property: Key(4)] double Value) : ICoordinatorEvent;
