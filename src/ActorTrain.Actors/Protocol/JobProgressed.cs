using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>Coordinator → job observer, every progress interval: where the job stands.</summary>
[MessagePackObject]
public sealed record JobProgressed(
    [property: Key(0)] int Epoch,
    [property: Key(1)] long Step,
    [property: Key(2)] long Updates,
    [property: Key(3)] long CompletedMicroBatches,
    [property: Key(4)] long TotalMicroBatches,
    [property: Key(5)] double MeanLoss,
    [property: Key(6)] double SamplesPerSecond,
    [property: Key(7)] double ElapsedSeconds,
    [property: Key(8)] long ReissuedMicroBatches) : IWireMessage;
