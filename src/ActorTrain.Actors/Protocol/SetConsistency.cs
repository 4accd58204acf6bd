using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shards and workers: from now on, this mode (asp, ssp, local-sgd or diloco) with SSP's bound and local
/// rounds of <see cref="InnerSteps"/> micro-batches. No reply.
/// </summary>
[MessagePackObject]
public sealed record SetConsistency([property: Key(0)] string Mode, [property: Key(1)] int Staleness, [property: Key(2)] int InnerSteps = 0) : IWireMessage
{
    [IgnoreMember]
    public ConsistencyMode Consistency => ConsistencyModes.ByName.GetValueOrDefault(Mode, ConsistencyMode.Asp);
}
