using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: checkpoint <see cref="Id"/> is asked of every shard (<see cref="TakeCheckpoint"/>), to be taken at
/// version <see cref="AtVersion"/> (BSP: a step boundary) or, with <see cref="TakeCheckpoint.AnyVersion"/>, at whatever
/// version each shard is at. <see cref="Updates"/> and the ledger position (<see cref="Cursor"/>, <see cref="NotDone"/>:
/// every micro-batch before the cursor is committed except those) are what the run goes back to when it resumes from it.
/// <see cref="Mode"/> is the live mode change in force then (null: the job's initial mode), the mode a resume goes back to.
/// It counts only once <see cref="CheckpointRecorded"/> follows.
/// </summary>
[MessagePackObject]
public sealed record CheckpointStarted(
    [property: Key(0)] long Id,
    [property: Key(1)] long AtVersion,
    [property: Key(2)] long Updates,
    [property: Key(3)] MicroBatchRef Cursor,
    [property: Key(4)] MicroBatchRef[] NotDone,
    [property: Key(5)] ModeChanged? Mode = null) : ICoordinatorEvent;
