using ActorTrain.Actors.Telemetry;
using ActorTrain.Actors.History;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Wire;
using ActorTrain.Core.Augmentation;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Training;
using Akka.Actor;
using Akka.Event;
using HistoryRecorder = ActorTrain.Core.History.HistoryRecorder;
using PushAcked = ActorTrain.Core.History.PushAcked;
using PushSent = ActorTrain.Core.History.PushSent;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// The worker role: a model replica. It asks the coordinator for micro-batches (one ahead), pulls the
/// weights it needs, computes on its <see cref="TrainingThread"/>, pushes one gradient per shard, and
/// commits the micro-batch once every shard has acked. The pull for the next micro-batch and the pushes of
/// the last run while the current one computes. Under local SGD and DiLoCo it trains rounds of H micro-batches on its
/// own replica (<see cref="LocalRounds"/>) and pushes each round's pseudo-gradient instead. It holds nothing the
/// coordinator and shards cannot rebuild.
/// </summary>
public sealed class TrainingWorker : ReceiveActor, IWithTimers
{
    private const int Prefetch = 2;

    /// <summary>
    /// ASP's flow control: a new micro-batch starts only while at most this many earlier ones await their
    /// shards' acks. One overlaps the pushes of the last micro-batch with the current computation; more would
    /// let pushes queue at busy shards and the weights workers compute on grow ever staler. BSP needs none:
    /// its acks come when a whole step is applied, and its pulls wait for that anyway.
    /// </summary>
    private const int MaxUnackedMicroBatches = 1;

    private const string RetryTimer = "retry";

    /// <summary>ASP and SSP: how many micro-batches one pull's weights may serve while the next pull is late.</summary>
    private const int MaxComputationsPerPull = 4;
    private const string BackupFullTimer = "backup-full";

    /// <summary>
    /// A push not acked, or a pull not answered, within this time (actortrain.wire.resend-after, 5 s) is sent again: a
    /// message lost on the way is recovered, and the shard's dedup makes a resent push harmless.
    /// </summary>
    private readonly TimeSpan _resendAfter;

    /// <summary>How often it looks for what is due: a tick of the resend time itself let a loss wait up to twice that.</summary>
    private readonly TimeSpan _retryCheckEvery;

    /// <summary>
    /// After a shard instance this worker watches stops, what it had not answered goes to the next instance this long
    /// after the stop, and again after each doubling, until that instance greets this worker (<see cref="ShardStarted"/>).
    /// Its supervisor starts the next one within 0.1 s to 5 s (its backoff); past the last probe the resend time rules.
    /// </summary>
    private static readonly TimeSpan[] ProbesAfterStop = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400),
        TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600)];

    private readonly WorkerSetup _setup;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<WorkAssigned> _queue = new();
    private readonly AssignedWork _assigned = new();
    private int _currentUses;
    private readonly long[] _seq;
    private readonly Dictionary<(int Shard, long Incarnation, long Seq), (PushGradients Push, (int Epoch, int MicroBatch) Commit, DateTime SentAt)> _unacked = [];
    private readonly Dictionary<(int Epoch, int MicroBatch), PendingCommit> _commits = [];
    private readonly TrainingThread _thread;
    private readonly ReplicaStep _step;
    private readonly LocalRounds _local;
    private int _innerSteps;
    private bool _workWithheld;
    private WeightsBuffer _current;
    private WeightsBuffer _incoming;
    private bool _computing;
    private bool _requested;
    private bool _finished;
    private bool _leaving;
    private DateTime _handBackSentAt;
    private readonly long _incarnation;

    /// <summary>The most divergence rollbacks an assignment has said the run made: weights pulled before the last are not used.</summary>
    private int _rollbacks;
    private readonly Dictionary<(int Epoch, int MicroBatch), (BatchCompleted Report, DateTime SentAt)> _uncommitted = [];
    private long _pullId;
    private DateTime _requestedAt;
    private ConsistencyMode _mode;
    private long _computed;
    private readonly UpstreamBackup<PushGradients> _backup;
    private bool _backupFullLogged;

    /// <summary>A full backup waited its time for a snapshot in vain: until one frees room, the oldest pushes are dropped instead.</summary>
    private bool _backupDegraded;
    private bool _backupDegradedLogged;
    private long _backupDropped;
    private readonly ChunkingSender _wire;
    private readonly ChunkReceiver _chunks;
    private readonly HistoryRecorder? _history = RunHistory.Of(Context.System);

    /// <summary>The shard instance that last greeted this worker, per shard: watched, so its stop is known at once.</summary>
    private readonly IActorRef?[] _shardInstances;

    /// <summary>Per shard: how many probes went to it since its watched instance stopped (-1: none stopped, or the next one greeted).</summary>
    private readonly int[] _probes;

    public TrainingWorker(WorkerSetup setup)
    {
        _setup = setup;
        _mode = setup.Mode;
        // Every instance (a supervisor's restart included) is a new incarnation: its sequence numbers start
        // again at 1, and the coordinator takes back what an older incarnation held.
        _incarnation = Incarnations.Next(setup.Incarnation);
        _seq = new long[setup.Shards.Count];
        _thread = new TrainingThread($"train-{setup.WorkerId}");
        _step = new ReplicaStep(setup.Model, setup.Layout, setup.Encoding);
        _local = new LocalRounds(setup, _thread);
        _innerSteps = setup.Local.InnerSteps;
        _current = new WeightsBuffer(setup.Shards.Count);
        _incoming = new WeightsBuffer(setup.Shards.Count);
        _backup = setup.Backups.Open(_incarnation, setup.Shards.Count, setup.UpstreamBackupBytes);
        var wire = WireSettings.Of(Context.System);
        _resendAfter = wire.ResendAfter;
        _retryCheckEvery = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, wire.ResendAfter.Ticks / 4));
        _shardInstances = new IActorRef?[setup.Shards.Count];
        _probes = Enumerable.Repeat(-1, setup.Shards.Count).ToArray();
        _wire = new ChunkingSender(wire, setup.WorkerId);
        _chunks = new ChunkReceiver(wire, _log, $"worker {setup.WorkerId}");

        Receive<WorkAssigned>(Handle);
        Receive<TrainingCompleted>(Handle);
        Receive<ShardWeights>(Handle);
        Receive<PayloadChunk>(Handle);
        Receive<GradientsComputed>(Handle);
        Receive<LocalRounds.StepTaken>(Handle);
        Receive<LocalRounds.RoundClosed>(Handle);
        Receive<WorkRequestDeferred>(_ =>
        {
            _workWithheld = true;
            Progress();
        });
        Receive<GradientsApplied>(Handle);
        Receive<PushRejected>(Handle);
        Receive<RetryTick>(_ => Retry());
        Receive<BackupFullDue>(_ => BackupWaitedInVain());
        Receive<ShardSnapshotted>(Handle);
        Receive<LeaveJob>(_ =>
        {
            _leaving = true;
            _log.Info("worker {0}: leaving; finishing what it computes, then handing the rest back", _setup.WorkerId);
            StopWhenDone();
        });
        Receive<WorkHandedBack>(handedBack =>
        {
            _log.Warning("worker {0}: left the job; {1} micro-batch(es) it held went back to the ledger", _setup.WorkerId, handedBack.MicroBatches);
            Context.Stop(Self);
        });
        Receive<ShardStarted>(Handle);
        Receive<Terminated>(Handle);
        Receive<ProbeShard>(Probe);
        Receive<CoordinatorRestarted>(_ => ResendToCoordinator());
        Receive<RollBackWork>(Handle);
        Receive<BatchCommitted>(committed =>
        {
            _uncommitted.Remove((committed.Epoch, committed.MicroBatch));
            _assigned.Committed(committed.Epoch, committed.MicroBatch);
            StopWhenDone();
        });
        // A training step that threw: let the supervisor restart this worker as a new incarnation.
        Receive<Status.Failure>(failure => throw new InvalidOperationException($"worker {_setup.WorkerId}: training step failed", failure.Cause));
        Receive<SetConsistency>(set =>
        {
            _mode = set.Consistency;
            if (set.InnerSteps > 0) _innerSteps = set.InnerSteps;
            Progress();
        });
    }

    public static Props Props(WorkerSetup setup) => Akka.Actor.Props.Create(() => new TrainingWorker(setup));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_setup.BackupWarning is { } warning) _log.Warning("worker {0}: {1}", _setup.WorkerId, warning);
        Timers.StartPeriodicTimer(RetryTimer, RetryTick.Instance, _retryCheckEvery);
        Progress();
    }

    /// <summary>Resends what has waited too long for an answer: pushes without an ack, a pull without all its replies, a work request.</summary>
    private void Retry()
    {
        var due = DateTime.UtcNow - _resendAfter;
        foreach (var (key, sent) in _unacked.Where(u => u.Value.SentAt < due).ToList())
        {
            _log.Warning("worker {0}: no ack from shard {1} for push {2} after {3} s; resending", _setup.WorkerId, key.Shard, key.Seq, _resendAfter.TotalSeconds);
            _unacked[key] = sent with { SentAt = DateTime.UtcNow };
            _wire.Send(_setup.Shards[key.Shard], sent.Push, Self);
        }
        if (_incoming.Filling && _incoming.StartedAt < due)
        {
            _log.Warning("worker {0}: weights pull unanswered after {1} s; pulling again", _setup.WorkerId, _resendAfter.TotalSeconds);
            _incoming.Filling = false;
            Progress();
        }
        foreach (var (key, sent) in _uncommitted.Where(u => u.Value.SentAt < due).ToList())
        {
            _uncommitted[key] = sent with { SentAt = DateTime.UtcNow };
            _setup.Coordinator.Tell(sent.Report);
        }
        if (_handBackSentAt != default && _handBackSentAt < due) HandBack();
        if (_requested && _requestedAt < due && !_finished && !_leaving)
        {
            _requested = false;
            Progress();
        }
    }

    /// <summary>
    /// A divergence rollback: what this incarnation holds was computed on the diverged weights and the shards refuse it
    /// now. Its backups go, and the supervisor starts the worker again as a new incarnation, which asks for work afresh.
    /// </summary>
    private void Handle(RollBackWork rollBack)
    {
        if (rollBack.Incarnation < _incarnation) return; // sent to an older incarnation (or again): this one started after the fence
        _setup.Backups.DropAll();
        throw new RolledBackException($"worker {_setup.WorkerId}: rollback {rollBack.Rollback}; incarnation {_incarnation} starts again as a new one");
    }

    /// <summary>A new coordinator instance may lack what the last one was told: the unanswered completions and work request go again now.</summary>
    private void ResendToCoordinator()
    {
        foreach (var (key, sent) in _uncommitted.ToList())
        {
            _uncommitted[key] = sent with { SentAt = DateTime.UtcNow };
            _setup.Coordinator.Tell(sent.Report);
        }
        if (_handBackSentAt != default) HandBack();
        if (_requested && !_finished && !_leaving)
        {
            _requested = false;
            Progress();
        }
    }

    private void Handle(WorkAssigned work)
    {
        if (!_assigned.Accept(work)) return; // the coordinator told it again (the first could have been lost): held already
        if (work.Rollbacks > _rollbacks)
        {
            // Weights pulled before the rollback ended may be a shard's diverged ones (at a version the run will reach again).
            _rollbacks = work.Rollbacks;
            _current.Complete = false;
            _incoming.Filling = false;
            _incoming.Complete = false;
        }
        _requested = false;
        _workWithheld = false;
        _queue.Enqueue(work);
        if (_mode == ConsistencyMode.Bsp) OrderBySteps();
        Progress();
    }

    /// <summary>
    /// BSP: the queued micro-batches in step order (the one computing stays first). A re-issued micro-batch of an earlier
    /// step must not wait behind a later one: that one's pull waits for the earlier step, which waits for it.
    /// </summary>
    private void OrderBySteps()
    {
        var computing = _computing ? [_queue.Dequeue()] : Array.Empty<WorkAssigned>();
        var rest = _queue.OrderBy(w => w.Step).ToList();
        _queue.Clear();
        foreach (var w in computing.Concat(rest)) _queue.Enqueue(w);
    }

    private void Handle(TrainingCompleted done)
    {
        _requested = false;
        _finished = true;
        StopWhenDone();
    }

    /// <summary>Once training is over and nothing awaits an ack, the worker's job is done.</summary>
    private void StopWhenDone()
    {
        if (_commits.Count > 0 || _uncommitted.Count > 0 || _computing) return;
        if (_finished) Context.Stop(Self);
        else if (_leaving && _handBackSentAt == default) HandBack();
    }

    private void HandBack()
    {
        _handBackSentAt = DateTime.UtcNow;
        _setup.Coordinator.Tell(new HandBackWork(_setup.WorkerId, _incarnation));
    }

    private void Handle(ShardWeights weights)
    {
        if (weights.PullId != _pullId || !_incoming.Filling) return; // a reply to a pull given up on
        var range = _setup.Layout[weights.ShardId];
        var problem = weights.Weights.Problem(range.Length);
        if (problem != null)
        {
            _log.Warning("worker {0}: weights of shard {1} rejected ({2}); pulling again", _setup.WorkerId, weights.ShardId, problem);
            PullFrom(weights.ShardId, _incoming.PulledFor);
            return;
        }
        _incoming.Add(weights);
        ActorTrainMetrics.PullBytes.Add(weights.Weights.Bytes.Length);
        if (_incoming.Complete) ActorTrainMetrics.PullLatency.Record((DateTime.UtcNow - _incoming.StartedAt).TotalSeconds);
        Progress();
    }

    /// <summary>A piece of a weights reply too large for one frame: handled whole once in; an unusable piece means pulling again.</summary>
    private void Handle(PayloadChunk chunk)
    {
        var receipt = _chunks.Accept(chunk);
        if (receipt.Message is ShardWeights weights) Handle(weights);
        else if (receipt.Problem != null && _incoming.Filling)
        {
            _incoming.Filling = false;
            Progress();
        }
    }

    private void Handle(GradientsComputed computed)
    {
        _computing = false;
        _computed++;
        var work = _queue.Dequeue();
        var loss = computed.Result.LossSum;
        if (!float.IsFinite(loss) || !double.IsFinite(computed.GradientNorm))
        {
            // Never pushed: a shard would refuse it, and a BSP step waits for every slot. Reported, so divergence is judged.
            var what = !float.IsFinite(loss) ? $"non-finite loss ({loss})" : $"non-finite gradient (norm {computed.GradientNorm})";
            _log.Warning("worker {0}: micro-batch e{1}/mb{2} has a {3}; its pushes carry nothing", _setup.WorkerId, work.Epoch, work.MicroBatch, what);
            PushSkipped(work, what, loss, computed.GradientNorm);
            return;
        }
        _commits[(work.Epoch, work.MicroBatch)] = new PendingCommit(_setup.Shards.Count, [((work.Epoch, work.MicroBatch), computed.Result)])
        {
            GradientNorm = computed.GradientNorm,
        };
        for (var s = 0; s < _setup.Shards.Count; s++)
        {
            Push(new PushGradients(s, _setup.WorkerId, _incarnation, ++_seq[s], work.Step, work.IndexInStep,
                work.MicroBatchesInStep, computed.Result.Samples, computed.BaseVersion, computed.Payloads[s], _computed, OffStep: computed.OffStep),
                (work.Epoch, work.MicroBatch));
        }
        Progress();
    }

    private void Handle(LocalRounds.StepTaken taken)
    {
        _computing = false;
        _computed++;
        _local.Record(_queue.Dequeue(), taken.Result);
        Progress();
    }

    /// <summary>A round's pseudo-gradient is ready: one push per shard, committing all the round's micro-batches once all are acked.</summary>
    private void Handle(LocalRounds.RoundClosed closed)
    {
        _computing = false;
        _commits[closed.Key] = closed.Commit;
        for (var s = 0; s < _setup.Shards.Count; s++)
            Push(new PushGradients(s, _setup.WorkerId, _incarnation, ++_seq[s], 0, 0, 1, closed.Samples, closed.BaseVersion, closed.PseudoGradients[s],
                _computed, closed.Kind), closed.Key);
        _current.Complete = false; // the round's start weights are spent; whatever comes next starts on a new pull
        Progress();
    }

    /// <summary>
    /// A micro-batch not trained on (a skip assignment, or a non-finite loss or gradient): a skip marker to every shard,
    /// which fills its BSP slot with nothing, and a commit with 0 samples that says why.
    /// </summary>
    private void PushSkipped(WorkAssigned work, string reason, float lossSum, double gradientNorm)
    {
        var key = (work.Epoch, work.MicroBatch);
        _commits[key] = new PendingCommit(_setup.Shards.Count, [(key, new MicroBatchResult(lossSum, 0))]) { GradientNorm = gradientNorm, Skipped = reason };
        for (var s = 0; s < _setup.Shards.Count; s++) Push(SkipMarker(s, work.Step, work.IndexInStep, work.MicroBatchesInStep), key);
        Progress();
    }

    private PushGradients SkipMarker(int shard, long step, int indexInStep, int microBatchesInStep) =>
        new(shard, _setup.WorkerId, _incarnation, ++_seq[shard], step, indexInStep, microBatchesInStep, 0, _current.Version, NoGradient, _computed,
            Skipped: true);

    private static readonly TensorPayload NoGradient = new(PayloadEncoding.F32, 0, []);

    private void Push(PushGradients push, (int Epoch, int MicroBatch) commit)
    {
        _unacked[(push.ShardId, push.Incarnation, push.Seq)] = (push, commit, DateTime.UtcNow);
        _backup.Retain(push.ShardId, push.Seq, push, push.Gradient.Bytes.Length);
        _wire.Send(_setup.Shards[push.ShardId], push, Self);
        ActorTrainMetrics.PushBytes.Add(push.Gradient.Bytes.Length);
        _history?.Record(new PushSent(new PushId(push.WorkerId, push.Incarnation, push.Seq), push.ShardId, push.Clock, push.BaseVersion));
    }

    private void Handle(GradientsApplied ack)
    {
        if (!_unacked.Remove((ack.ShardId, ack.Incarnation, ack.Seq), out var sent)) return; // an ack for a resend already acked
        ActorTrainMetrics.PushLatency.Record((DateTime.UtcNow - sent.SentAt).TotalSeconds);
        _history?.Record(new PushAcked(ack.ShardId, new PushId(ack.WorkerId, ack.Incarnation, ack.Seq), ack.Version, ack.Duplicate));
        var key = sent.Commit;
        if (!_commits.TryGetValue(key, out var commit)) return;
        commit.Remaining--;
        commit.Version = Math.Max(commit.Version, ack.Version);
        if (commit.Remaining > 0) return;
        _commits.Remove(key);
        foreach (var report in commit.Reports(_setup.WorkerId, _incarnation))
        {
            _uncommitted[(report.Epoch, report.MicroBatch)] = (report, DateTime.UtcNow);
            _setup.Coordinator.Tell(report);
        }
        Progress();
        StopWhenDone();
    }

    /// <summary>
    /// A shard's fallback snapshot (the oldest whole one it keeps, see <c>KeptSnapshots</c>) now covers some of this
    /// worker's pushes: they leave the backup. What is newer stays, so a shard whose newest snapshots turn out damaged can
    /// be given back what it applied since the one it falls back to.
    /// </summary>
    private void Handle(ShardSnapshotted snapshotted)
    {
        var row = snapshotted.Covered;
        if (row.WorkerId != _setup.WorkerId) return;
        if (_setup.Backups.Release(snapshotted.ShardId, row) > 0 && row.Incarnation == _incarnation)
            _backupDegraded = false; // snapshots free room again
        Progress();
    }

    /// <summary>
    /// A shard instance greets this worker: if it is a new instance (the last one died), it lacks whatever it applied
    /// after its snapshot. Everything the backup holds for it goes again; its dedup table drops what it already has.
    /// </summary>
    private void Handle(ShardStarted started)
    {
        Watch(started.ShardId, Sender);
        var replay = _setup.Backups.ToReplay(started.ShardId);
        if (replay.Count == 0) return;
        _log.Warning("worker {0}: shard {1} (re)started at version {2}; replaying {3} push(es) from the upstream backup",
            _setup.WorkerId, started.ShardId, started.Version, replay.Count);
        foreach (var push in replay)
        {
            // Each replayed push waits for its ack like a first send, and goes again if none comes: one lost on its way to
            // the new instance was lost for good before (found by the soak: drops with a damaged snapshot). Its micro-batch
            // was committed already, so its ack commits nothing; one still waiting for its first ack is left as it is.
            _unacked.TryAdd((started.ShardId, push.Incarnation, push.Seq), (push, Replayed, DateTime.UtcNow));
            _wire.Send(_setup.Shards[started.ShardId], push, Self);
        }
    }

    /// <summary>Watches the instance that greeted this worker; a greeting from the next instance ends the probes for its shard.</summary>
    private void Watch(int shardId, IActorRef instance)
    {
        if (Equals(_shardInstances[shardId], instance)) return;
        if (_shardInstances[shardId] is { } old) Context.Unwatch(old);
        _shardInstances[shardId] = instance;
        Context.Watch(instance);
        _probes[shardId] = -1;
        Timers.Cancel(ProbeTimer(shardId));
    }

    /// <summary>A shard instance stopped: what it had not answered would wait the resend time; the next instance is probed sooner.</summary>
    private void Handle(Terminated terminated)
    {
        var shardId = Array.FindIndex(_shardInstances, i => Equals(i, terminated.ActorRef));
        if (shardId < 0) return;
        _shardInstances[shardId] = null;
        _probes[shardId] = 0;
        _log.Warning("worker {0}: shard {1}'s instance stopped; what it had not answered goes to the next one in {2} ms", _setup.WorkerId, shardId,
            ProbesAfterStop[0].TotalMilliseconds);
        Timers.StartSingleTimer(ProbeTimer(shardId), new ProbeShard(shardId), ProbesAfterStop[0]);
    }

    /// <summary>Sends the stopped shard's unacked pushes again, and pulls again if the pull lacks its weights; then waits twice as long.</summary>
    private void Probe(ProbeShard probe)
    {
        var shardId = probe.ShardId;
        if (_probes[shardId] < 0) return; // the next instance greeted first
        foreach (var (key, sent) in _unacked.Where(u => u.Key.Shard == shardId).ToList())
        {
            _unacked[key] = sent with { SentAt = DateTime.UtcNow };
            _wire.Send(_setup.Shards[shardId], sent.Push, Self);
        }
        if (_incoming.Filling && !_incoming.Has(shardId))
        {
            _incoming.Filling = false;
            Progress();
        }
        if (++_probes[shardId] < ProbesAfterStop.Length)
            Timers.StartSingleTimer(ProbeTimer(shardId), probe, ProbesAfterStop[_probes[shardId]] - ProbesAfterStop[_probes[shardId] - 1]);
        else _probes[shardId] = -1;
    }

    private static string ProbeTimer(int shardId) => $"probe-shard-{shardId}";

    private sealed record ProbeShard(int ShardId);

    /// <summary>The commit key of a replayed push: no micro-batch waits for its ack.</summary>
    private static readonly (int Epoch, int MicroBatch) Replayed = (-1, -1);

    private void Handle(PushRejected rejected)
    {
        if (!_unacked.TryGetValue((rejected.ShardId, rejected.Incarnation, rejected.Seq), out var sent)) return;
        _log.Warning("worker {0}: shard {1} rejected push {2}: {3}", _setup.WorkerId, rejected.ShardId, rejected.Seq, rejected.Reason);
        if (!rejected.Resend && sent.Commit == Replayed)
        {
            _unacked.Remove((rejected.ShardId, rejected.Incarnation, rejected.Seq)); // a replay refused for good (a rollback fenced it): obsolete
            return;
        }
        if (rejected.NonFinite && _commits.TryGetValue(sent.Commit, out var commit))
        {
            // The shard never applies it: a skip marker fills its place, and the micro-batch is reported non-finite (the
            // other shards may have applied their finite parts already).
            _unacked.Remove((rejected.ShardId, rejected.Incarnation, rejected.Seq));
            commit.Skipped = $"non-finite gradient refused by shard {rejected.ShardId}";
            var push = sent.Push;
            Push(SkipMarker(push.ShardId, push.Step, push.IndexInStep, push.MicroBatchesInStep), sent.Commit);
            return;
        }
        if (!rejected.Resend)
            throw new InvalidOperationException(
                $"worker {_setup.WorkerId}: shard {rejected.ShardId} refused push {rejected.Seq} for good ({rejected.Reason}); restarting as a new incarnation");
        _unacked[(rejected.ShardId, rejected.Incarnation, rejected.Seq)] = sent with { SentAt = DateTime.UtcNow };
        _wire.Send(_setup.Shards[rejected.ShardId], sent.Push, Self);
    }

    /// <summary>Moves the pipeline along: ask for work, pull weights, start the next computation.</summary>
    private void Progress()
    {
        if (_leaving) return;
        if (!_finished && !_requested && _queue.Count < Prefetch)
        {
            _requested = true;
            _requestedAt = DateTime.UtcNow;
            _setup.Coordinator.Tell(new RequestWork(_setup.WorkerId, _incarnation));
        }
        if (_mode.IsLocal() || _local.IsOpen)
        {
            ProgressLocal();
            return;
        }
        if (!_computing && _queue.Count > 0) TryStartComputation(_queue.Peek());
        if (_incoming.Filling) return;
        var wanted = NextPullVersion();
        if (wanted is { } version && !(_mode == ConsistencyMode.Bsp ? _incoming.IsFor(version) : _incoming.Complete && _incoming.Version >= version))
            Pull(version);
    }

    /// <summary>Local SGD / DiLoCo: close, train or open a round, or pull its start weights (<see cref="LocalRound.Next"/>).</summary>
    private void ProgressLocal()
    {
        var (action, reason) = _local.Next(_mode, _innerSteps,
            new WorkerPipeline(_computing, _queue.Count > 0, _workWithheld, _commits.Count > 0, _incoming.Complete, _incoming.Filling));
        if (action == LocalAction.Pull) Pull(0);
        if (action is LocalAction.Wait or LocalAction.Pull) return;
        _computing = true;
        if (action == LocalAction.Close) _log.Debug("worker {0}: local round closes ({1})", _setup.WorkerId, reason);
        if (action == LocalAction.Close) _local.Close(Self);
        else if (action == LocalAction.Step) _local.Step(_queue.Peek(), Self);
        else
        {
            (_current, _incoming) = (_incoming, _current);
            _incoming.Complete = false;
            _local.Open(_mode, _current, _queue.Peek(), Self);
        }
    }

    private void TryStartComputation(WorkAssigned work)
    {
        if (work.Skip is { } skip)
        {
            _queue.Dequeue();
            PushSkipped(work, skip, 0, 0);
            return;
        }
        if (_backup.IsFull && !_backupDegraded)
        {
            // Bounded memory: wait until a shard snapshot covers some of the retained pushes, for as long as one may come.
            var wait = _setup.BackupFullWait ?? SnapshotPolicy.LongestBackupWait;
            if (wait <= TimeSpan.Zero)
            {
                BackupWaitedInVain();
                return;
            }
            if (!_backupFullLogged)
                _log.Warning("worker {0}: upstream backup full ({1:N0} bytes); waiting up to {2:0.#} s for a shard snapshot", _setup.WorkerId, _backup.Bytes,
                    wait.TotalSeconds);
            _backupFullLogged = true;
            if (!Timers.IsTimerActive(BackupFullTimer)) Timers.StartSingleTimer(BackupFullTimer, BackupFullDue.Instance, wait);
            return;
        }
        if (_backup.IsFull) _backupDropped += _backup.DropOldest();
        _backupFullLogged = false;
        if (_mode != ConsistencyMode.Bsp && _commits.Count > MaxUnackedMicroBatches) return;
        if (_mode == ConsistencyMode.Bsp)
        {
            // BSP computes a step's micro-batch on that step's weights exactly, even when it comes again after the step was applied somewhere.
            if (!_current.IsFor(work.Step) && _incoming.IsFor(work.Step))
            {
                (_current, _incoming) = (_incoming, _current);
                _incoming.Complete = false;
            }
            if (!_current.IsFor(work.Step)) return;
        }
        else
        {
            // The newer pull wins, whatever its version says: a shard that restarted from a snapshot counts its versions from
            // there, below what the worker last saw. Comparing versions kept such a pull unused (and, being complete, never
            // pulled again), so the worker trained on its old weights for good and the shard's weights ran away (validation
            // loss 0.25 -> 56 after one shard crash: found by the chaos soak).
            if (_incoming.Complete)
            {
                (_current, _incoming) = (_incoming, _current);
                _incoming.Complete = false;
                _currentUses = 0;
            }
            if (!_current.Complete) return;
            // While a pull is out, a few micro-batches may go on the weights at hand; more would compute thousands of them
            // on old weights when a pull is lost (5 s to the retry), and the job diverged (found by the chaos soak).
            if (_currentUses >= MaxComputationsPerPull) return;
            _currentUses++;
        }
        // SSP: compute clock c only on weights the shards released for clock c (ASP may use older ones).
        if (_mode == ConsistencyMode.Ssp && _current.Clock < _computed) return;
        if (_mode == ConsistencyMode.Bsp && _current.NewestVersion > work.Step)
            _log.Warning("worker {0}: micro-batch e{1}/mb{2} of step {3} computed on newer weights (version {4})",
                _setup.WorkerId, work.Epoch, work.MicroBatch, work.Step, _current.NewestVersion);
        _computing = true;
        var payloads = _current.Payloads.ToArray();
        var baseVersion = _current.Version;
        var offStep = _mode == ConsistencyMode.Bsp && _current.NewestVersion != work.Step;
        _thread.Run(() =>
        {
            var (result, gradients, norm) = _step.Run(payloads, _setup.Train, work.SampleIndices, MicroBatchSeed.Key(work.Epoch, work.MicroBatch));
            return new GradientsComputed(result, gradients, baseVersion, offStep, norm);
        }, Self);
    }

    /// <summary>The version the next pull should ask for, or null when no pull is useful now.</summary>
    private long? NextPullVersion()
    {
        if (_mode != ConsistencyMode.Bsp) return _current.Complete && !_computing && _queue.Count == 0 ? null : 0;
        foreach (var work in _queue)
            if (!_current.IsFor(work.Step)) return work.Step;
        return _current.Complete ? null : 0;
    }

    private void Pull(long minVersion)
    {
        // The clock of the micro-batch these weights are for: the next one, or the one after the one computing.
        var clock = _computed + (_computing ? 1 : 0);
        _incoming.StartFilling(clock, minVersion);
        _pullId++;
        for (var s = 0; s < _setup.Shards.Count; s++) PullFrom(s, minVersion);
    }

    private void PullFrom(int shard, long minVersion) =>
        _setup.Shards[shard].Tell(new PullShard(shard, minVersion, false, _setup.WorkerId, _incoming.Clock, _pullId, AtStep: _mode == ConsistencyMode.Bsp, Incarnation: _incarnation));

    /// <summary>The backup is still full after its wait: durability degrades (the oldest pushes are dropped) rather than the job stalling.</summary>
    private void BackupWaitedInVain()
    {
        if (!_backup.IsFull) return;
        _backupDegraded = true;
        if (!_backupDegradedLogged)
            _log.Warning("worker {0}: upstream backup full ({1:N0} bytes of {2} retained push(es)) and no shard snapshot frees it; dropping its oldest " +
                         "retained pushes to go on. Durability is degraded: a shard lost now loses what it applied since its last snapshot. Raise " +
                         "{3}, lower {4} or {5}, or turn the backup off ({3} = 0)", _setup.WorkerId, _backup.Bytes, _backup.Count,
                PersistenceSettings.Key("upstream-backup-bytes"), PersistenceSettings.Key("snapshot.every-updates"), PersistenceSettings.Key("snapshot.every"));
        _backupDegradedLogged = true;
        Progress();
    }

    protected override void PostStop()
    {
        if (_backupDropped > 0)
            _log.Warning("worker {0}: dropped {1} push(es) from its full upstream backup (durability was degraded)", _setup.WorkerId, _backupDropped);
        _thread.Dispose();
        _step.Dispose();
        _local.Dispose();
    }

    private sealed class BackupFullDue : INoSerializationVerificationNeeded
    {
        public static readonly BackupFullDue Instance = new();
    }

    private sealed class RetryTick : INoSerializationVerificationNeeded
    {
        public static readonly RetryTick Instance = new();
    }

    /// <summary>The training thread's answer, piped back into the mailbox.</summary>
    private sealed record GradientsComputed(MicroBatchResult Result, TensorPayload[] Payloads, long BaseVersion, bool OffStep, double GradientNorm)
        : INoSerializationVerificationNeeded;
}
