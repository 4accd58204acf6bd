using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → requester and job observer: the mode in force from update <see cref="AtUpdate"/> on.</summary>
[MessagePackObject]
public sealed record ModeChanged([property: Key(0)] string Mode, [property: Key(1)] int Staleness, [property: Key(2)] long AtUpdate) : IWireMessage;
