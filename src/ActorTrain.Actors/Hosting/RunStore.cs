using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using Akka.Actor;
using Akka.Persistence;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// What a job's head does with the run's store before any role starts. A new run must find no coordinator journal
/// under its run id (it would otherwise continue someone else's run). A resumed run finds its last complete checkpoint
/// in the coordinator's journal and makes each shard's snapshot of it the shard's only snapshot, so that every shard,
/// wherever and whenever it starts, recovers exactly that state; the coordinator then rolls its ledger back to it.
/// </summary>
public static class RunStore
{
    /// <summary>The checkpoint a resumed run goes back to (id 0: none was complete, the run starts over); null for a new run.</summary>
    public static async Task<CheckpointRestored?> PrepareAsync(ActorSystem system, ActorTrainSettings settings, JobData data, bool resume)
    {
        var persistence = settings.Persistence;
        var timeout = persistence.Snapshot.CallTimeout;
        var read = await ReadCoordinator(system, persistence.CoordinatorPersistenceId, settings, data, timeout).ConfigureAwait(false);
        if (!resume)
        {
            if (read.HighestSequenceNr > 0)
                throw new SettingsException($"the store already holds a run with id '{persistence.RunId}' ({read.HighestSequenceNr} coordinator events): " +
                                            "continue it with `actortrain resume <its run folder>`, or give this run another " +
                                            Settings.PersistenceSettings.Key("run-id") + ".");
            return null;
        }
        var last = read.State.LastCheckpoint?.Started;
        var store = Persistence.Instance.Apply(system).SnapshotStoreFor(null);
        for (var shard = 0; shard < data.Shards.ShardCount; shard++)
        {
            var persistenceId = JobHead.ShardPersistenceId(settings, shard);
            var snapshot = last is null ? null : await CheckpointSnapshot(store, persistenceId, shard, last.Id, timeout).ConfigureAwait(false);
            await Expect<DeleteSnapshotsSuccess>(store, new DeleteSnapshots(persistenceId, SnapshotSelectionCriteria.Latest), timeout,
                $"delete the snapshots of shard {shard} newer than the checkpoint").ConfigureAwait(false);
            if (snapshot != null)
                await Expect<SaveSnapshotSuccess>(store, new SaveSnapshot(new SnapshotMetadata(persistenceId, 1, DateTime.UtcNow), snapshot), timeout,
                    $"restore shard {shard} from checkpoint {last!.Id}").ConfigureAwait(false);
        }
        return new CheckpointRestored(last?.Id ?? 0, last?.Updates ?? 0);
    }

    private static async Task<CoordinatorReader.Read> ReadCoordinator(ActorSystem system, string persistenceId, ActorTrainSettings settings, JobData data,
        TimeSpan timeout)
    {
        var answer = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = system.ActorOf(Props.Create(() => new Answer(answer)));
        system.ActorOf(CoordinatorReader.Props(persistenceId, JobHead.PlanOf(settings, data), settings.Job.Mode, inbox));
        try
        {
            return await answer.Task.WaitAsync(timeout).ConfigureAwait(false) switch
            {
                CoordinatorReader.Read read => read,
                CoordinatorReader.Failed failed =>
                    throw new InvalidOperationException($"cannot read the coordinator's journal {persistenceId}: {failed.Cause.Message}", failed.Cause),
                var other => throw new InvalidOperationException($"unexpected answer {other} from the coordinator's journal"),
            };
        }
        finally
        {
            system.Stop(inbox);
        }
    }

    private static async Task<object> CheckpointSnapshot(IActorRef store, string shardPersistenceId, int shard, long checkpointId, TimeSpan timeout)
    {
        var loaded = await Expect<LoadSnapshotResult>(store, new LoadSnapshot(ShardCheckpoints.PersistenceIdOf(shardPersistenceId),
            new SnapshotSelectionCriteria(checkpointId), checkpointId), timeout, $"load shard {shard}'s snapshot of checkpoint {checkpointId}").ConfigureAwait(false);
        if (loaded.Snapshot is not { } selected || selected.Metadata.SequenceNr != checkpointId)
            throw new InvalidOperationException($"checkpoint {checkpointId} is recorded complete, but shard {shard}'s snapshot of it is not in the store " +
                                                $"(persistence id {ShardCheckpoints.PersistenceIdOf(shardPersistenceId)}, sequence number {checkpointId})");
        return selected.Snapshot;
    }

    /// <summary>Hands the first message it gets to a task.</summary>
    private sealed class Answer : ReceiveActor
    {
        public Answer(TaskCompletionSource<object> answer) => ReceiveAny(m => answer.TrySetResult(m));
    }

    private static async Task<T> Expect<T>(IActorRef store, object request, TimeSpan timeout, string what)
    {
        var answer = await store.Ask<object>(request, timeout).ConfigureAwait(false);
        return answer switch
        {
            T expected => expected,
            LoadSnapshotFailed failed => throw new InvalidOperationException($"could not {what}: {failed.Cause.Message}", failed.Cause),
            DeleteSnapshotsFailure failed => throw new InvalidOperationException($"could not {what}: {failed.Cause.Message}", failed.Cause),
            SaveSnapshotFailure failed => throw new InvalidOperationException($"could not {what}: {failed.Cause.Message}", failed.Cause),
            _ => throw new InvalidOperationException($"could not {what}: the snapshot store answered {answer}"),
        };
    }
}
