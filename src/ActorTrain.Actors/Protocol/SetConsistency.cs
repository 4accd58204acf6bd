using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → shards and workers: from now on, this mode (asp, bsp, ssp, local-sgd or diloco) with SSP's bound and
/// local rounds of <see cref="InnerSteps"/> micro-batches. For BSP, a shard below <see cref="StartVersion"/> moves its
/// version up to it (its next step's number); <see cref="NoStartVersion"/> leaves versions alone. Workers do not reply;
/// a shard replies <see cref="ConsistencySet"/> once a snapshot in the new mode is written (or failed).
/// </summary>
[MessagePackObject]
public sealed record SetConsistency(
    [property: Key(0)] string Mode,
    [property: Key(1)] int Staleness,
    [property: Key(2)] int InnerSteps = 0,
    [property: Key(3)] long StartVersion = SetConsistency.NoStartVersion) : IWireMessage
{
    public const long NoStartVersion = -1;

    [IgnoreMember]
    public ConsistencyMode Consistency => ConsistencyModes.ByName.GetValueOrDefault(Mode, ConsistencyMode.Asp);

    /// <summary>What shards and workers are told of a mode change.</summary>
    public static SetConsistency Of(ModeChanged changed) =>
        new(changed.Mode, changed.Staleness, changed.InnerSteps, changed.Consistency == ConsistencyMode.Bsp ? changed.StartVersion : NoStartVersion);
}
