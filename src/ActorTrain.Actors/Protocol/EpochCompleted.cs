using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: the last micro-batch of <see cref="Epoch"/> (from 0) was committed, at <see cref="Updates"/>. It
/// follows from the commits and changes no state; it is journaled so the journal reads as the job's history.
/// </summary>
[MessagePackObject]
public sealed record EpochCompleted([property: Key(0)] int Epoch, [property: Key(1)] long Updates) : ICoordinatorEvent;
