namespace ActorTrain.Core.Consistency;

/// <summary>
/// Where a worker's pipeline stands, as <see cref="LocalRound.Next"/> reads it: a computation on its training thread,
/// micro-batches in its queue, the coordinator's word that none is free (<see cref="WorkWithheld"/>), pushes not yet
/// acked by every shard, and the state of its latest weights pull.
/// </summary>
public readonly record struct WorkerPipeline(
    bool Computing,
    bool WorkQueued,
    bool WorkWithheld,
    bool PushesUnacked,
    bool WeightsReady,
    bool WeightsPulling);
