using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>A complete checkpoint as the coordinator's snapshot keeps its recent ones: how it started, and its record.</summary>
[MessagePackObject]
public sealed record CompleteCheckpoint(
    [property: Key(0)] CheckpointStarted Started,
    [property: Key(1)] CheckpointRecorded Recorded) : IWireMessage;
