using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using Akka.Actor;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// What a worker needs to start: who it is, whom it talks to, and what it trains on; for local SGD and DiLoCo rounds,
/// the inner optimizers and the data plan (an inner step's learning rate follows the micro-batch's place in it); and how
/// many bytes of its pushes it may keep until shard snapshots cover them (its upstream backup), how long a full backup
/// waits for a snapshot before it drops its oldest pushes (<see cref="BackupFullWait"/>; null: the longest wait), and
/// what to warn about it at the start (<see cref="BackupWarning"/>). Local only.
/// </summary>
public sealed record WorkerSetup(
    string WorkerId,
    long Incarnation,
    IActorRef Coordinator,
    IReadOnlyList<IActorRef> Shards,
    ShardLayout Layout,
    ModelSpec Model,
    LabeledSamples Train,
    ConsistencyMode Mode,
    PayloadEncoding Encoding,
    LocalTrainingSpec Local,
    BatchPlan Plan,
    long UpstreamBackupBytes = 256L << 20,
    TimeSpan? BackupFullWait = null,
    string? BackupWarning = null)
{
    /// <summary>The backups of this worker's incarnations in this process: they outlive a restart of the worker actor.</summary>
    public WorkerBackups Backups { get; init; } = new();
}
