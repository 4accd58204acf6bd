using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → shards and workers: from now on, this mode (asp or ssp) with this SSP bound. No reply.</summary>
[MessagePackObject]
public sealed record SetConsistency([property: Key(0)] string Mode, [property: Key(1)] int Staleness) : IWireMessage
{
    [IgnoreMember]
    public ConsistencyMode Consistency => Mode == "ssp" ? ConsistencyMode.Ssp : ConsistencyMode.Asp;
}
