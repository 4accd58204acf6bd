using System.Runtime.InteropServices;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Numerics;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// The shard's part in divergence handling: it never applies a non-finite gradient, takes skip markers (micro-batches
/// not trained on) without touching its weights, and in a rollback goes back to a checkpoint's snapshot while the job runs
/// (<see cref="RestoreCheckpoint"/>).
/// </summary>
public sealed partial class ParameterShard
{
    /// <summary>The last rollback this shard carried out (kept in its snapshots): a repeat of it changes nothing.</summary>
    private int _rollback;

    /// <summary>The rollback of the newest snapshot the kept list starts from (older snapshots hold diverged weights).</summary>
    private int _keptRollback;

    private (RestoreCheckpoint Restore, IActorRef ReplyTo)? _pendingRestore;

    /// <summary>Why the push's gradient must not be applied (NaN or ±Inf in it), or null.</summary>
    private string? NonFiniteProblem(PushGradients push)
    {
        var payload = push.Gradient;
        bool bad;
        if (payload.Encoding == PayloadEncoding.F32 && BitConverter.IsLittleEndian)
        {
            bad = FloatSpans.HasNonFinite(MemoryMarshal.Cast<byte, float>(payload.Bytes));
        }
        else
        {
            var values = new float[payload.ElementCount];
            payload.DecodeInto(values);
            bad = FloatSpans.HasNonFinite(values);
        }
        return bad ? $"the {push.Kind.ToString().ToLowerInvariant()} holds NaN or infinite values: a shard never applies one (refused so far: {_nonFiniteRefused + 1})" : null;
    }

    /// <summary>ASP/SSP: a skip marker is acked and counted as the pusher's, and applies nothing (the version stays).</summary>
    private void TakeSkipMarker(PushGradients push, PushId id)
    {
        _dedup.Record(id);
        if (_mode == ConsistencyMode.Ssp) _clocks.ObservePush(push.WorkerId, push.Clock, push.Incarnation);
        _history.Applied(id, _version, 0);
        Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: false));
        ServeWaitingPulls();
    }

    private void Handle(RestoreCheckpoint restore)
    {
        if (restore.Rollback <= _rollback)
        {
            // A repeat (the answer was lost, or this shard restarted since): answered once a snapshot holding it is written.
            AnswerRestoreOnceDurable(restore, Sender);
            return;
        }
        // From now until the checkpoint is in, everything else waits (a rate list or a push taken on the diverged state
        // would be lost with it), but for the answer to a snapshot write under way, which the restore waits for.
        _pendingRestore = (restore, Sender);
        BecomeStacked(() =>
        {
            Command<SaveSnapshotSuccess>(saved =>
            {
                if (!_checkpoints.Handled(saved)) Handle(saved);
            });
            Command<SaveSnapshotFailure>(failed =>
            {
                if (!_checkpoints.Handled(failed)) Handle(failed);
            });
            Command<LoadSnapshotResult>(loaded =>
            {
                var offered = loaded.Snapshot;
                var problem = offered is null || offered.Metadata.SequenceNr != restore.CheckpointId
                    ? $"its snapshot of checkpoint {restore.CheckpointId} is not in the store (the newest up to it: {offered?.Metadata.SequenceNr.ToString() ?? "none"})"
                    : ShardSnapshots.Problem(offered.Snapshot, _range.ShardId, _range.Length);
                if (problem is null) RolledBackTo(restore, _restoreReplyTo!, (ShardSnapshot)offered!.Snapshot);
                else
                {
                    _log.Error("shard {0} cannot roll back to checkpoint {1}: {2}; the coordinator asks again", _range.ShardId, restore.CheckpointId, problem);
                    _restoreReplyTo!.Tell(new ShardRolledBack(_range.ShardId, restore.Rollback, restore.CheckpointId, _version, Durable: false));
                }
                EndRestore();
            });
            Command<LoadSnapshotFailed>(failed =>
            {
                _log.Error(failed.Cause, "shard {0} could not load checkpoint {1} to roll back ({2}); the coordinator asks again", _range.ShardId,
                    restore.CheckpointId, failed.Cause.Message);
                EndRestore();
            });
            CommandAny(_ => Stash.Stash());
        });
        RestoreWhenNotWriting();
    }

    private IActorRef? _restoreReplyTo;

    private void EndRestore()
    {
        _restoreReplyTo = null;
        UnbecomeStacked();
        Stash.UnstashAll();
    }

    /// <summary>A snapshot of the diverged state being written would land above the restored one: the restore waits for it.</summary>
    private void RestoreWhenNotWriting()
    {
        if (_writing != null || _pendingRestore is not { } pending) return;
        _pendingRestore = null;
        var (restore, replyTo) = pending;
        _restoreReplyTo = replyTo;
        if (restore.CheckpointId == 0)
        {
            RolledBackTo(restore, replyTo, null);
            EndRestore();
            return;
        }
        var id = restore.CheckpointId;
        SnapshotStore.Tell(new LoadSnapshot(_checkpoints.PersistenceId, new SnapshotSelectionCriteria(id, DateTime.MaxValue, id, DateTime.MinValue), id));
    }

    /// <summary>
    /// Takes the checkpoint's state (null: the initial weights), drops what was under way on the diverged weights, fences the
    /// workers' old incarnations, and answers once a snapshot of it is written.
    /// </summary>
    private void RolledBackTo(RestoreCheckpoint restore, IActorRef replyTo, ShardSnapshot? snapshot)
    {
        var from = _version;
        TakeState(snapshot);
        foreach (var (worker, incarnation) in restore.Fenced)
        {
            _dedup.Fence(worker, incarnation);
            _clocks.Remove(worker);
        }
        _steps.Clear();
        _offStep.Clear();
        _waitingPulls.Clear(); // their pullers are fenced incarnations, about to start again
        _previousStep = null;
        _cachedWeights = null;
        _greeted.Clear(); // every worker is greeted again with this version: what its backup holds is fenced, and dropped
        _startedAt = _version;
        _pushedSinceSnapshot.Clear();
        _mostPushedSinceSnapshot = 0;
        _checkpoints.Clear();
        _rollback = restore.Rollback;
        _history.RolledBack(_version);
        _log.Warning("shard {0}: rollback {1}, from version {2} back to {3} (checkpoint {4})", _range.ShardId, restore.Rollback, from, _version,
            restore.CheckpointId);
        AnswerRestoreOnceDurable(restore, replyTo);
    }

    private void AnswerRestoreOnceDurable(RestoreCheckpoint restore, IActorRef replyTo)
    {
        var shardId = _range.ShardId;
        _modeConfirmations.Add(replyTo, (version, durable) => new ShardRolledBack(shardId, restore.Rollback, restore.CheckpointId, version, durable));
        if (_writing is null) Snapshot("a rollback");
    }
}
