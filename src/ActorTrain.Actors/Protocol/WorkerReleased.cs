using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator event: a worker left (gracefully, or it is gone); what it held goes out again.</summary>
[MessagePackObject]
public sealed record WorkerReleased([property: Key(0)] string WorkerId, [property: Key(1)] string Reason) : ICoordinatorEvent;
