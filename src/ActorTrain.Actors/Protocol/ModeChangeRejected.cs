using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → requester: the mode was not changed, and why.</summary>
[MessagePackObject]
public sealed record ModeChangeRejected([property: Key(0)] string Reason) : IWireMessage;
