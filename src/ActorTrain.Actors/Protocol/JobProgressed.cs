using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → job observer, every progress interval: where the job stands; <see cref="MicroBatchesByWorker"/> what each
/// worker committed so far, and <see cref="Members"/> the workers taking part now.
/// </summary>
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
    [property: Key(8)] long ReissuedMicroBatches,
    [property: Key(9)] IReadOnlyDictionary<string, long>? MicroBatchesByWorker = null,
    [property: Key(10)] string[]? Members = null) : IWireMessage;
