using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → worker: every micro-batch of every epoch is committed; stop asking for work.</summary>
[MessagePackObject]
public sealed record TrainingCompleted([property: Key(0)] long Updates) : IWireMessage;
