using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator event: <c>actortrain ctl continue</c> at update <see cref="AtUpdate"/> ends a <see cref="RunPaused"/>.</summary>
[MessagePackObject]
public sealed record RunContinued([property: Key(0)] long AtUpdate) : ICoordinatorEvent;
