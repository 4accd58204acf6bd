using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → worker, in a rollback (<see cref="RolledBack"/>) once every shard is back at its checkpoint: drop what it
/// holds (its micro-batches, unacked pushes and upstream backup: all from the diverged weights) and start again as a new
/// incarnation, whose request for work is the answer. An incarnation newer than <see cref="Incarnation"/> ignores it.
/// </summary>
[MessagePackObject]
public sealed record RollBackWork(
    [property: Key(0)] int Rollback,
    [property: Key(1)] long Incarnation) : IWireMessage;
