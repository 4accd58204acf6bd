using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker → coordinator: give me a micro-batch. Replies: <see cref="WorkAssigned"/>, or
/// <see cref="TrainingCompleted"/> when the ledger is finished. When nothing is free yet the coordinator
/// holds the request and answers as soon as something is.
/// </summary>
[MessagePackObject]
public sealed record RequestWork(
    [property: Key(0)] string WorkerId,
    [property: Key(1)] long Incarnation) : IWireMessage;
