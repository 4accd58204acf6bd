using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → job observer: a resumed run went back to checkpoint <see cref="Id"/> (0: none was
/// complete, so back to the start), at <see cref="Updates"/>. Micro-batches committed after it, or out when the run
/// stopped, go out again; the shards were restored from the checkpoint's snapshots before anything started.
/// </summary>
[MessagePackObject]
public sealed record CheckpointRestored([property: Key(0)] long Id, [property: Key(1)] long Updates) : ICoordinatorEvent;
