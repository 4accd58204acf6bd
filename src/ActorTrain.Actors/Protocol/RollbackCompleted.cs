using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator event: every shard holds the checkpoint of rollback <see cref="Rollback"/> (<see cref="RolledBack"/>) durably; training goes on.</summary>
[MessagePackObject]
public sealed record RollbackCompleted([property: Key(0)] int Rollback) : ICoordinatorEvent;
