using ActorTrain.Core.Consistency;
using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → requester and job observer: the mode in force from update <see cref="AtUpdate"/> on.</summary>
[MessagePackObject]
public sealed record ModeChanged(
    [property: Key(0)] string Mode,
    [property: Key(1)] int Staleness,
    [property: Key(2)] long AtUpdate,
    [property: Key(3)] int InnerSteps = 0) : IWireMessage
{
    /// <summary>The mode as users write it: asp, ssp:s, local-sgd:H or diloco:H.</summary>
    [IgnoreMember]
    public string Description => ConsistencyModes.ByName.TryGetValue(Mode, out var mode) ? ConsistencyModes.Describe(mode, Staleness, InnerSteps) : Mode;
}
