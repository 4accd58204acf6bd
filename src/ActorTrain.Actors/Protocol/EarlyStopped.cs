using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → job observer: training ends at update <see cref="AtUpdate"/> before its planned
/// epochs, for <see cref="Reason"/>: the early-stopping policy saw no improvement for its patience
/// (<see cref="Source"/> "policy"), or <c>actortrain ctl stop</c> asked for it once checkpoint <see cref="CheckpointId"/>
/// was complete ("ctl"). The micro-batches out are committed, then the final evaluation runs and the job completes.
/// </summary>
[MessagePackObject]
public sealed record EarlyStopped(
    [property: Key(0)] long AtUpdate,
    [property: Key(1)] string Source,
    [property: Key(2)] string Reason,
    [property: Key(3)] long CheckpointId = 0) : ICoordinatorEvent;
