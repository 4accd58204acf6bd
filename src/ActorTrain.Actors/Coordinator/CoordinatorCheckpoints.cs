using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's checkpoints: when one is due (its <see cref="CoordinatorSetup.Checkpoints"/> schedule) it records
/// <see cref="CheckpointStarted"/> with the ledger position to go back to and asks every shard for a snapshot at once
/// (in BSP the request must reach the shards before they pass the boundary); when every shard's snapshot is durable it
/// records <see cref="CheckpointRecorded"/>, tells the observer, and deletes the shards' older checkpoint snapshots.
/// </summary>
/// <param name="record">Applies an event and journals it; the action runs once it is durable.</param>
/// <param name="history">Where a complete checkpoint is recorded once durable, for the invariant checks.</param>
internal sealed class CoordinatorCheckpoints(CoordinatorSetup setup, Action<IWireMessage, Action?> record, IActorRef snapshotStore, ILoggingAdapter log,
    CoordinatorHistory history)
{
    /// <summary>A checkpoint not complete after this long is given up on (a shard's answer was lost with a restart).</summary>
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    /// <summary>The checkpoints this instance waits for: what bounds new ones (not the journal's list, which a restart or a refusal leaves behind).</summary>
    private readonly CheckpointReplies _replies = new(setup.Shards.Count);
    private bool _waitingForStore;

    /// <summary>Checkpoints below this were deleted one by one (those between the best and a newer complete one).</summary>
    private long _deletedBelow;

    /// <summary><c>actortrain ctl checkpoint</c> or <c>stop</c>: a checkpoint is wanted now (BSP: at the next boundary), and who waits for it.</summary>
    private readonly List<Action<CheckpointStarted?, CheckpointRecorded?>> _wanted = [];
    private readonly Dictionary<long, List<Action<CheckpointStarted?, CheckpointRecorded?>>> _waiters = [];

    /// <summary>
    /// A checkpoint now, for a person: started at once when the shards stand still (<see cref="CoordinatorState.AtRest"/>) or
    /// in a mode without step boundaries, else (BSP) at the boundary after the next micro-batch handed out.
    /// <paramref name="told"/> is called with the started checkpoint (recorded null), then with both once it is complete;
    /// with neither when it could not start (checkpoints in flight fill the store's queue).
    /// </summary>
    public void Wanted(CoordinatorState state, Action<CheckpointStarted?, CheckpointRecorded?> told)
    {
        _wanted.Add(told);
        if (state.ModeInForce != ConsistencyMode.Bsp) StartWanted(state, TakeCheckpoint.AnyVersion, state.Ledger.Position, state.Updates);
        else if (state.AtRest) AtRest(state);
    }

    /// <summary>The run stands at rest: a wanted checkpoint starts here, at this exact state.</summary>
    public void AtRest(CoordinatorState state)
    {
        if (_wanted.Count == 0 || !state.AtRest) return;
        var atVersion = state.ModeInForce == ConsistencyMode.Bsp ? state.Updates - state.UpdateOffset + state.StepOffset : TakeCheckpoint.AnyVersion;
        StartWanted(state, atVersion, state.Ledger.Position, state.Updates);
    }

    private void StartWanted(CoordinatorState state, long atVersion, LedgerPosition position, long updates)
    {
        var id = state.NextCheckpointId;
        Start(state, atVersion, position, updates, "asked for by actortrain ctl");
        var told = _wanted.ToList();
        _wanted.Clear();
        if (state.NextCheckpointId == id)
        {
            told.ForEach(t => t(null, null)); // not started: the store is behind
            return;
        }
        var started = state.CheckpointsInProgress.First(c => c.Id == id);
        _waiters[id] = told;
        told.ForEach(t => t(started, null));
    }

    /// <summary>
    /// BSP: <paramref name="next"/> is handed out; starts the checkpoint at the boundary after its step when one is due.
    /// The schedule counts updates; after a live switch to BSP a plan step's update count and shard version are offset
    /// (<see cref="CoordinatorState.UpdateOffset"/>, <see cref="CoordinatorState.StepOffset"/>).
    /// </summary>
    public void AheadOf(MicroBatchId next, CoordinatorState state)
    {
        if (state.ModeInForce != ConsistencyMode.Bsp) return;
        var updateOffset = state.UpdateOffset;
        if (_wanted.Count > 0 && setup.Plan.StepOf(next) + 1 + updateOffset > state.LastCheckpointTarget)
        {
            var after = setup.Plan.StepOf(next) + 1;
            StartWanted(state, after + state.StepOffset, LedgerPosition.AtStep(setup.Plan, after), after + updateOffset);
            return;
        }
        if (setup.Checkpoints.AtStepBoundary(setup.Plan.StepOf(next) + updateOffset, state.LastCheckpointTarget) is ({ } updates, var reason))
        {
            var boundary = updates - updateOffset;
            Start(state, boundary + state.StepOffset, LedgerPosition.AtStep(setup.Plan, boundary), updates, reason);
        }
    }

    /// <summary>Other modes: a micro-batch was committed; starts a checkpoint of whatever the shards hold when one is due.</summary>
    public void AfterCommit(CoordinatorState state)
    {
        if (state.ModeInForce != ConsistencyMode.Bsp && setup.Checkpoints.AfterCommit(state.Updates, state.LastCheckpointTarget) is (true, var reason))
            Start(state, TakeCheckpoint.AnyVersion, state.Ledger.Position, state.Updates, reason);
    }

    public void Taken(CheckpointTaken taken, CoordinatorState state, double trainingSeconds)
    {
        var started = state.CheckpointsInProgress.FirstOrDefault(c => c.Id == taken.CheckpointId);
        if (started is null || _replies.Taken(taken) is not { } versions) return; // superseded, or more shards to come
        _replies.ForgetUpTo(started.Id);
        var recorded = new CheckpointRecorded(started.Id, started.Updates, trainingSeconds, versions);
        record(recorded, () =>
        {
            log.Info("checkpoint {0} at update {1} is complete", recorded.Id, recorded.Updates);
            history.CheckpointRecorded(recorded);
            setup.Observer.Tell(recorded);
            if (_waiters.Remove(recorded.Id, out var waiting)) waiting.ForEach(t => t(started, recorded));
            // Older checkpoints (complete or not) are no longer what a resume would use; the best one stays (export --checkpoint best).
            // The store deletes "up to" a sequence number, so those between the best and this one go one by one, each once.
            // With divergence handling, the last keep-checkpoints complete ones stay too (a rollback may go back to any).
            var best = state.BestCheckpoint?.CheckpointId;
            // Counted from this checkpoint back: a newer one may be recorded already but not durable, and a resume would use this one.
            var keepFrom = state.RecentCheckpoints.Where(c => c.Started.Id <= recorded.Id).TakeLast(setup.Control.Divergence.KeepCheckpoints)
                .Select(c => c.Started.Id).DefaultIfEmpty(recorded.Id).Min();
            foreach (var id in setup.ShardCheckpointIds)
            {
                if (best is not { } kept || kept >= keepFrom)
                {
                    // Never "up to 0": some stores (the in-memory one) read a bound of 0 as none, and delete every snapshot.
                    if (keepFrom > 1) snapshotStore.Tell(new DeleteSnapshots(id, new SnapshotSelectionCriteria(keepFrom - 1)));
                    continue;
                }
                if (kept > 1) snapshotStore.Tell(new DeleteSnapshots(id, new SnapshotSelectionCriteria(kept - 1)));
                for (var older = Math.Max(kept + 1, _deletedBelow); older < keepFrom; older++)
                    snapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(id, older, DateTime.MinValue)));
            }
            _deletedBelow = Math.Max(_deletedBelow, keepFrom);
        });
    }

    /// <summary>Whether checkpoint <paramref name="id"/> is under way and still waits for its shards (not refused, not given up on).</summary>
    public bool Awaits(long id) => _replies.Awaits(id);

    /// <summary>A divergence rollback: the checkpoints under way hold diverged weights and are given up (their answers are ignored).</summary>
    public void RolledBack()
    {
        _replies.ForgetUpTo(long.MaxValue);
        _waitingForStore = false;
    }

    public void Refused(CheckpointRefused refused)
    {
        log.Warning("checkpoint {0} stays incomplete: shard {1} refused it ({2})", refused.CheckpointId, refused.ShardId, refused.Reason);
        _replies.Forget(refused.CheckpointId);
    }

    /// <summary>Gives up on the checkpoints not complete after <see cref="GiveUpAfter"/> (also when none is due: a rollback may wait for one).</summary>
    public void GiveUpStale()
    {
        foreach (var id in _replies.GiveUp(DateTime.UtcNow, GiveUpAfter))
            log.Warning("checkpoint {0} given up on: not every shard answered within {1} min", id, GiveUpAfter.TotalMinutes);
    }

    private void Start(CoordinatorState state, long atVersion, LedgerPosition position, long updates, string reason)
    {
        GiveUpStale();
        if (_replies.InFlight >= CoordinatorState.MaxCheckpointsInProgress)
        {
            // The store is slower than the schedule: skip this one (BSP) or start it later (other modes) rather than drop an
            // older one, which would leave a store that stays slow with no checkpoint ever complete.
            if (!_waitingForStore)
                log.Warning("checkpoint due at update {0} put off: {1} are still waiting for their shards' snapshots", updates,
                    _replies.InFlight);
            _waitingForStore = true;
            return;
        }
        _waitingForStore = false;
        var started = new CheckpointStarted(state.NextCheckpointId, atVersion, updates, CoordinatorState.RefOf(position.Cursor),
            [.. position.NotDone.Select(CoordinatorState.RefOf)], state.Mode);
        log.Info("checkpoint {0} at update {1}: {2}", started.Id, updates, reason);
        record(started, null);
        _replies.Started(started.Id, DateTime.UtcNow);
        for (var shard = 0; shard < setup.Shards.Count; shard++) setup.Shards[shard].Tell(new TakeCheckpoint(shard, started.Id, started.AtVersion));
    }
}
