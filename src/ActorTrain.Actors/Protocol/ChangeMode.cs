using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// `actortrain ctl` → coordinator: switch the live job's consistency mode: "asp", "bsp", "ssp" with SSP's bound, or
/// "local-sgd" / "diloco" with H (<see cref="InnerSteps"/>; 0 keeps the current H, at first actortrain.job.inner-steps).
/// Replies: <see cref="ModeChanged"/> once shards and workers have been told, or <see cref="ModeChangeRejected"/>; a switch
/// to or from BSP answers <see cref="ModeChangePending"/> at once and <see cref="ModeChanged"/> at its step boundary.
/// </summary>
[MessagePackObject]
public sealed record ChangeMode([property: Key(0)] string Mode, [property: Key(1)] int Staleness, [property: Key(2)] int InnerSteps = 0) : IWireMessage;
