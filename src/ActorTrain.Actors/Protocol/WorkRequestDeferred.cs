using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → worker: nothing can be assigned now, because every micro-batch left is out with a worker
/// (<see cref="Outstanding"/> of them). The <see cref="RequestWork"/> is held and answered when one comes back (from a
/// lost worker), or with <see cref="TrainingCompleted"/>. A worker in a local SGD / DiLoCo round closes it early, so the
/// micro-batches it holds can be committed. No reply.
/// </summary>
[MessagePackObject]
public sealed record WorkRequestDeferred([property: Key(0)] int Outstanding) : IWireMessage;
