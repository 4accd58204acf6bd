using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: <c>actortrain ctl pause</c> at update <see cref="AtUpdate"/>. No micro-batch goes out until
/// <see cref="RunContinued"/>; those out are committed as usual, so the run comes to rest.
/// </summary>
[MessagePackObject]
public sealed record RunPaused([property: Key(0)] long AtUpdate) : ICoordinatorEvent;
