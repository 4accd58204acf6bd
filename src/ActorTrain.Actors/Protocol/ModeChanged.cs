using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator event, and coordinator → requester and job observer: the mode in force from update <see cref="AtUpdate"/>
/// and plan step <see cref="FromStep"/> on. A switch to or from BSP is recorded when it takes effect, at that step
/// boundary; in BSP a plan step's work is numbered <c>plan step + <see cref="StepOffset"/></c> (the shards' version
/// when that step is applied; 0 for a job that starts in BSP, and in the other modes).
/// </summary>
[MessagePackObject]
public sealed record ModeChanged(
    [property: Key(0)] string Mode,
    [property: Key(1)] int Staleness,
    [property: Key(2)] long AtUpdate,
    [property: Key(3)] int InnerSteps = 0,
    [property: Key(4)] long StepOffset = 0,
    [property: Key(5)] long FromStep = 0) : IWireMessage
{
    /// <summary>The mode as users write it: asp, bsp, ssp:s, local-sgd:H or diloco:H.</summary>
    [IgnoreMember]
    public string Description => ConsistencyModes.ByName.TryGetValue(Mode, out var mode) ? ConsistencyModes.Describe(mode, Staleness, InnerSteps) : Mode;

    [IgnoreMember]
    public ConsistencyMode Consistency => ConsistencyModes.ByName.GetValueOrDefault(Mode, ConsistencyMode.Asp);

    /// <summary>BSP: the version every shard starts the switched mode at (its first step's number).</summary>
    [IgnoreMember]
    public long StartVersion => FromStep + StepOffset;
}
