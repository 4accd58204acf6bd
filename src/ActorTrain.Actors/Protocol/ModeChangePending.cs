using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → requester of a <see cref="ChangeMode"/> to or from BSP: accepted, in force at the next step boundary;
/// <see cref="ModeChanged"/> follows once it is (or nothing, if the coordinator is lost before: ask again).
/// </summary>
[MessagePackObject]
public sealed record ModeChangePending([property: Key(0)] string Mode, [property: Key(1)] string Reason) : IWireMessage;
