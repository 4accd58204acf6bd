using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker → coordinator, when its node leaves gracefully: I have committed everything I started; take back the
/// micro-batches I still hold but will not compute. Reply: <see cref="WorkHandedBack"/>.
/// </summary>
[MessagePackObject]
public sealed record HandBackWork(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] long Incarnation) : IWireMessage;
