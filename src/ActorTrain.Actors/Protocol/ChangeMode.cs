using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// `actortrain ctl` → coordinator: switch the live job's consistency mode ("asp" or "ssp", with SSP's bound).
/// Replies: <see cref="ModeChanged"/> once shards and workers have been told, or <see cref="ModeChangeRejected"/>.
/// </summary>
[MessagePackObject]
public sealed record ChangeMode([property: Key(0)] string Mode, [property: Key(1)] int Staleness) : IWireMessage;
