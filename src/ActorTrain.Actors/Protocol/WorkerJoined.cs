using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event: a worker asked for work as incarnation <see cref="Incarnation"/> from <see cref="ActorPath"/>.
/// A higher incarnation of a known worker is a restarted one: what the older held goes out again. The path lets a
/// coordinator created again watch the workers it had.
/// </summary>
[MessagePackObject]
public sealed record WorkerJoined(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] long Incarnation,
    [property: Key(2)] string ActorPath) : ICoordinatorEvent;
