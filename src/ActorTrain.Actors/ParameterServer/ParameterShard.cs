using ActorTrain.Actors.Telemetry;
using ActorTrain.Actors.Hosting;
using System.Runtime.InteropServices;
using ActorTrain.Actors.History;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Wire;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Numerics;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Core.Optimizers;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// The ps role's unit: one contiguous range of the flat parameter vector, its optimizer state, its version
/// (updates applied) and its dedup table. ASP applies each fresh push on arrival; BSP collects a step's
/// micro-batches and applies their in-order sum once; a local SGD or DiLoCo round's pseudo-gradient is applied on
/// arrival by that mode's outer optimizer (<see cref="OuterOptimizers"/>), whatever the shard's mode when it arrives.
/// Pulls wait until the shard reaches the asked version.
/// It snapshots its applied state (<see cref="ShardSnapshot"/>) by its <see cref="SnapshotPolicy"/>, keeps the newest
/// few, and recovers from the newest when it starts (a damaged one is never loaded: it falls back to an older one, or
/// to its initial weights when none is left); workers replay what a lost instance applied after that
/// snapshot (upstream backup: <see cref="ShardStarted"/>, <see cref="ShardSnapshotted"/>).
/// </summary>
public sealed partial class ParameterShard : ReceivePersistentActor, IWithTimers
{
    public const string Dispatcher = "akka.actortrain-ps-dispatcher";
    private const string SnapshotTimer = "snapshot";

    private readonly ShardRange _range;
    private readonly ShardDurability _durability;
    private readonly OptimizerSpec _optimizerSpec;
    private readonly Dictionary<string, IActorRef> _pushers = [];
    private readonly HashSet<string> _greeted = [];
    private readonly List<IActorRef> _statisticsRequests = [];
    private long _snapshotVersion;
    private DateTimeOffset _snapshotAt = DateTimeOffset.UtcNow;
    private (long SequenceNr, ShardSnapshot State)? _writing;
    private long _snapshotSequenceNr;
    private readonly KeptSnapshots _kept;

    /// <summary>Bytes of each worker's pushes taken since the last snapshot was captured (for <see cref="SnapshotPolicy.EveryPushedBytes"/>).</summary>
    private readonly Dictionary<string, long> _pushedSinceSnapshot = [];
    private long _mostPushedSinceSnapshot;

    /// <summary>The lowest snapshot this recovery found damaged, if any: the shard loads one below it.</summary>
    private long? _damagedSnapshot;
    private long _startedAt;
    private long _startedTimestamp;
    private long _snapshotStartedTimestamp;
    private readonly KeyValuePair<string, object?> ShardTag; // made once: every applied push records with it
    private static readonly KeyValuePair<string, object?> RoleTag = new("role", "shard");
    private long _snapshotFailures;
    private int _failuresInARow;
    private DateTimeOffset _lastFailureAt;
    private ConsistencyMode _mode;
    private readonly PayloadEncoding _encoding;
    private ShardOptimizer _optimizer;
    private OuterOptimizers? _outer;
    private readonly LocalTrainingSpec? _local;
    private readonly ShardRates _rates;
    private PushDedup _dedup = new();
    private readonly Dictionary<long, PendingStep> _steps = [];
    private readonly List<(IActorRef Puller, PullShard Pull)> _waitingPulls = [];

    /// <summary>BSP: the weights before the last step applied, for a micro-batch of that step computed again (<see cref="PullShard.AtStep"/>).</summary>
    private ShardWeights? _previousStep;

    private readonly OffStepPushes _offStep;
    private int _staleness;
    private readonly WorkerClocks _clocks = new();
    private readonly StalenessHistogram _appliedStaleness = new();
    private readonly StalenessHistogram _clockGap = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _version;
    private ShardWeights? _cachedWeights;
    private readonly ChunkingSender _wire;
    private readonly ChunkReceiver _chunks;
    private readonly ShardCheckpoints _checkpoints;
    private readonly ModeConfirmations _modeConfirmations;
    private readonly ShardHistory _history;
    private readonly ZombieFence _fence;
    private readonly float[] _initialWeights;
    private long _nonFiniteRefused;

    /// <summary>Frozen layers' parts of this range (relative to its start) and the values they keep.</summary>
    private readonly (int Start, float[] Values)[] _frozen;

    public ParameterShard(ShardRange range, float[] initialWeights, OptimizerSpec optimizer, long totalUpdates, ConsistencyMode mode,
        PayloadEncoding encoding, ShardDurability durability, int staleness = 0, LocalTrainingSpec? local = null, TimeSpan? offStepWait = null,
        IReadOnlyList<(int Start, int Length)>? frozen = null)
    {
        _frozen = [.. (frozen ?? []).Select(f => (f.Start, initialWeights[f.Start..(f.Start + f.Length)]))];
        _offStep = new OffStepPushes(offStepWait ?? OffStepPushes.DefaultWait);
        _durability = durability;
        _optimizerSpec = optimizer;
        _staleness = staleness;
        _rates = new ShardRates(optimizer.ScheduleOver(totalUpdates));
        _range = range;
        ShardTag = new("shard", range.ShardId);
        _mode = mode;
        _encoding = encoding;
        _initialWeights = initialWeights;
        _optimizer = new ShardOptimizer(initialWeights, optimizer);
        _local = local;
        _outer = local is null ? null : new OuterOptimizers(_optimizer, local);
        var wire = WireSettings.Of(Context.System);
        _wire = new ChunkingSender(wire, Name(range.ShardId));
        _chunks = new ChunkReceiver(wire, _log, Name(range.ShardId));
        _history = new ShardHistory(range.ShardId, RunHistory.Get(Context.System));
        _checkpoints = new ShardCheckpoints(range.ShardId, ShardCheckpoints.PersistenceIdOf(durability.PersistenceId),
            Capture, save => SnapshotStore.Tell(save, Self), _log);
        _modeConfirmations = new ModeConfirmations(range.ShardId);
        _kept = new KeptSnapshots(durability.Policy.Keep);
        _fence = new ZombieFence(Context.System, $"shard {range.ShardId}");
        Recover<SnapshotOffer>(offer => Offered(offer.Snapshot, offer.Metadata.SequenceNr));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_damagedSnapshot is { } damaged) LoadOlderThan(damaged);
            else Started();
        });
        Command<PullShard>(Handle);
        Command<PushGradients>(Handle);
        Command<PayloadChunk>(Handle);
        Command<SnapshotTick>(_ =>
        {
            SnapshotIfDue();
            foreach (var held in _offStep.TakeOverdue(DateTime.UtcNow))
            {
                if (held.Push.Step >= _version)
                    _log.Warning("shard {0}: step {1}'s micro-batch {2} is filled from a computation on other weights than the step's, " +
                                 "its first computation's push not having come in {3:0} s: this run's weights are no longer those of a run without faults",
                        _range.ShardId, held.Push.Step, held.Push.IndexInStep, _offStep.Wait.TotalSeconds);
                AddToStep(held.Push, held.Id, held.From, waited: true);
            }
        });
        Command<SaveSnapshotSuccess>(saved =>
        {
            if (!_checkpoints.Handled(saved)) Handle(saved);
        });
        Command<SaveSnapshotFailure>(failed =>
        {
            if (!_checkpoints.Handled(failed)) Handle(failed);
        });
        Command<TakeCheckpoint>(take => _checkpoints.Request(take, Sender, _version));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failure =>
            _log.Warning("shard {0}: could not prune old snapshots ({1}); they stay until the next prune", _range.ShardId, failure.Cause.Message));
        Command<SetConsistency>(Handle);
        Command<SetLearningRates>(Handle);
        Command<RestoreCheckpoint>(Handle);
        Command<ReportVersion>(_ => Sender.Tell(new ShardVersionReported(_range.ShardId, _version)));
        Command<WorkerLeft>(left =>
        {
            _clocks.Remove(left.WorkerId);
            ServeWaitingPulls();
        });
        Command<ReportStatistics>(_ =>
        {
            // The job is ending: what was applied is made durable now rather than at the next tick, and the statistics
            // go out once it is, so the run ends with its final weights in the store (actortrain export reads them).
            _statisticsRequests.Add(Sender);
            if (_writing is null && _version != _snapshotVersion) Snapshot("the job's end");
            else if (_writing is null) ReportStatisticsOnceDurable(writeFailed: false);
        });
    }

    public override string PersistenceId => _durability.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="offStepWait">How long a BSP push computed on other weights than its step's waits for the first computation's (<see cref="OffStepPushes"/>).</param>
    /// <param name="frozen">Parts of the range (relative to its start) that keep their initial values: frozen layers.</param>
    public static Props Props(ShardRange range, float[] initialWeights, OptimizerSpec optimizer, long totalUpdates, ConsistencyMode mode,
        PayloadEncoding encoding, ShardDurability durability, int staleness = 0, LocalTrainingSpec? local = null, TimeSpan? offStepWait = null,
        IReadOnlyList<(int Start, int Length)>? frozen = null) =>
        Akka.Actor.Props.Create(() => new ParameterShard(range, initialWeights, optimizer, totalUpdates, mode, encoding, durability, staleness, local, offStepWait,
                frozen))
            .WithDispatcher(Dispatcher);

    protected override void PreStart()
    {
        _startedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        var every = _durability.Policy.Every;
        var tick = every > TimeSpan.Zero && every < TimeSpan.FromSeconds(1) ? every : TimeSpan.FromSeconds(1);
        Timers.StartPeriodicTimer(SnapshotTimer, SnapshotTick.Instance, tick);
        _fence.Start(Timers);
        base.PreStart();
    }

    protected override bool AroundReceive(Receive receive, object message) => _fence.Around(message, _log, () => base.AroundReceive(receive, message));

    /// <summary>This instance serves from the version it recovered at.</summary>
    private void Started()
    {
        _startedAt = _version;
        _history.Started(_version);
        ActorTrainMetrics.RecoveryDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_startedTimestamp).TotalSeconds, ShardTag, RoleTag);
    }

    /// <summary>
    /// A snapshot the store offers is loaded only when whole (<see cref="ShardSnapshots.Problem"/>): a damaged one is
    /// logged with its sequence number and the shard goes to an older one (<see cref="LoadOlderThan"/>). Returns whether it was loaded.
    /// </summary>
    private bool Offered(object snapshot, long sequenceNr)
    {
        _snapshotSequenceNr = Math.Max(_snapshotSequenceNr, sequenceNr); // later snapshots are numbered above a damaged one, never over it
        if (ShardSnapshots.Problem(snapshot, _range.ShardId, _range.Length) is not { } problem)
        {
            Restore((ShardSnapshot)snapshot, sequenceNr);
            return true;
        }
        _log.Error("shard {0}: its snapshot #{1} is damaged ({2}); it is not loaded, the shard falls back to an older snapshot", _range.ShardId,
            sequenceNr, problem);
        _damagedSnapshot = sequenceNr;
        return false;
    }

    /// <summary>
    /// Recovery found snapshot <paramref name="damaged"/> damaged: loads the newest older one (or, with none, keeps the
    /// initial weights, logged loudly), holding every other message until then. The workers' backups replay the rest.
    /// </summary>
    private void LoadOlderThan(long damaged)
    {
        BecomeStacked(() =>
        {
            Command<LoadSnapshotResult>(loaded =>
            {
                if (loaded.Snapshot is { } older && !Offered(older.Snapshot, older.Metadata.SequenceNr))
                {
                    RequestSnapshotBelow(_damagedSnapshot!.Value);
                    return;
                }
                if (loaded.Snapshot is null)
                    _log.Error("shard {0}: no snapshot older than the damaged #{1} is left: it starts from its INITIAL WEIGHTS at version 0; the workers " +
                               "replay what their upstream backups still hold, and what the shard had applied beyond that is lost", _range.ShardId, _damagedSnapshot);
                UnbecomeStacked();
                Started();
                Stash.UnstashAll();
            });
            Command<LoadSnapshotFailed>(failed =>
            {
                // The store, not the bytes: as when the first read fails, stop and let the supervisor start the shard again.
                _log.Error(failed.Cause, "shard {0} could not load a snapshot older than the damaged #{1} ({2}); it stops and its supervisor starts it again",
                    _range.ShardId, _damagedSnapshot, failed.Cause.Message);
                Context.Stop(Self);
            });
            CommandAny(_ => Stash.Stash());
        });
        RequestSnapshotBelow(damaged);
    }

    private void RequestSnapshotBelow(long sequenceNr) =>
        SnapshotStore.Tell(new LoadSnapshot(PersistenceId, new SnapshotSelectionCriteria(sequenceNr - 1), long.MaxValue));

    private void Restore(ShardSnapshot snapshot, long sequenceNr)
    {
        TakeState(snapshot);
        _snapshotVersion = _version;
        _kept.Loaded(sequenceNr, snapshot.Dedup);
        _rollback = snapshot.Rollback;
        _log.Warning("shard {0} recovered at version {1} from its snapshot #{2}; workers replay what it applied since", _range.ShardId,
            _version, sequenceNr);
    }

    /// <summary>The applied state a snapshot holds (null: the initial weights at version 0): weights, optimizer, dedup, version, mode, rates.</summary>
    private void TakeState(ShardSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            (_optimizer, _dedup, _version) = (new ShardOptimizer(_initialWeights, _optimizerSpec), new PushDedup(), 0);
            _rates.Restore([]);
        }
        else
        {
            (_optimizer, _dedup) = ShardSnapshots.Restore(snapshot, _optimizerSpec, _range.Length);
            _version = snapshot.Version;
            if (snapshot.Mode is { } mode) (_mode, _staleness) = (ConsistencyModes.ByName[mode], snapshot.Staleness); // a live switch's
            _rates.Restore(snapshot.Rates ?? []);
        }
        // The outer optimizers step the same weights; their momentum is not in the snapshot and starts again at zero.
        _outer = _local is null ? null : new OuterOptimizers(_optimizer, _local);
    }

    /// <summary>Tells a worker, on first contact, which version this instance started at, so it can replay its backup.</summary>
    private void Greet(string workerId)
    {
        if (workerId.Length > 0 && _greeted.Add(workerId)) Sender.Tell(new ShardStarted(_range.ShardId, _startedAt));
    }

    private void SnapshotIfDue()
    {
        var (due, reason) = _durability.Policy.Decide(_version, _snapshotVersion, DateTimeOffset.UtcNow, _snapshotAt, _writing != null,
            _failuresInARow, _lastFailureAt, _mostPushedSinceSnapshot);
        if (due) Snapshot(reason);
    }

    /// <summary>
    /// Writes the applied state under the next sequence number, straight to the snapshot store: shards journal no
    /// events (a gradient per event would be far too heavy), so the numbers that keep snapshots apart are their own.
    /// </summary>
    private void Snapshot(string reason)
    {
        var state = Capture();
        _pushedSinceSnapshot.Clear();
        _mostPushedSinceSnapshot = 0;
        var sequenceNr = _snapshotSequenceNr + 1;
        _snapshotStartedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        _writing = (sequenceNr, state);
        _modeConfirmations.Writing(sequenceNr);
        _log.Debug("shard {0}: snapshot #{1} at version {2} ({3})", _range.ShardId, sequenceNr, _version, reason);
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(PersistenceId, sequenceNr, DateTime.UtcNow), state));
    }

    private void Handle(SaveSnapshotSuccess saved)
    {
        if (_writing is not { } writing || writing.SequenceNr != saved.Metadata.SequenceNr) return;
        _writing = null;
        ActorTrainMetrics.SnapshotDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_snapshotStartedTimestamp).TotalSeconds, ShardTag);
        _snapshotSequenceNr = writing.SequenceNr;
        _snapshotVersion = writing.State.Version;
        _snapshotAt = DateTimeOffset.UtcNow;
        if (_failuresInARow > 0)
            _log.Warning("shard {0}: snapshot at version {1} saved after {2} failed attempt(s); durability is no longer degraded", _range.ShardId,
                writing.State.Version, _failuresInARow);
        _failuresInARow = 0;
        if (writing.State.Rollback > _keptRollback)
        {
            // The first snapshot after a rollback: the older ones hold the diverged weights, never to be fallen back to.
            _kept.Loaded(writing.SequenceNr, writing.State.Dedup);
            _keptRollback = writing.State.Rollback;
        }
        var fallback = _kept.Saved(writing.SequenceNr, writing.State.Dedup);
        foreach (var row in writing.State.Dedup)
            if (_pushers.TryGetValue(row.WorkerId, out var worker))
                worker.Tell(new ShardSnapshotted(_range.ShardId, writing.State.Version, KeptSnapshots.CoveredOf(fallback.Covered, row)));
        if (fallback.SequenceNr > 1) DeleteSnapshots(new SnapshotSelectionCriteria(fallback.SequenceNr - 1));
        _modeConfirmations.Written(writing.SequenceNr, writing.State.Version, durable: true);
        ReportStatisticsOnceDurable(writeFailed: false);
        if (_writing is null && _modeConfirmations.NeedSnapshot) Snapshot("a mode switch");
        RestoreWhenNotWriting();
    }

    private void Handle(SaveSnapshotFailure failed)
    {
        if (_writing is not { } writing || writing.SequenceNr != failed.Metadata.SequenceNr) return;
        _writing = null;
        _snapshotFailures++;
        _failuresInARow++;
        ActorTrainMetrics.SnapshotFailures.Add(1, ShardTag);
        _lastFailureAt = DateTimeOffset.UtcNow;
        // Degraded durability: the shard keeps serving, no ShardSnapshotted goes out (workers keep their pushes), and it
        // tries again after the policy's backoff.
        _log.Warning("shard {0}: snapshot at version {1} failed ({2}); durability is degraded until one succeeds (failures so far: {3}, " +
                     "next try in {4:0.###} s)", _range.ShardId, writing.State.Version, failed.Cause.Message, _snapshotFailures,
            _durability.Policy.RetryDelay(_failuresInARow).TotalSeconds);
        _modeConfirmations.Written(writing.SequenceNr, writing.State.Version, durable: false);
        ReportStatisticsOnceDurable(writeFailed: true);
        if (_writing is null && _modeConfirmations.NeedSnapshot) Snapshot("a mode switch");
        RestoreWhenNotWriting();
    }

    /// <summary>The applied state for a snapshot; the history is flushed first, so what a restore keeps is on disk.</summary>
    private ShardSnapshot Capture()
    {
        _history.BeforeSnapshot();
        return ShardSnapshots.Capture(_range.ShardId, _version, _optimizer, _dedup) with
        {
            Mode = ConsistencyModes.NameOf(_mode), Staleness = _staleness, Rates = _rates.Changes.Count == 0 ? null : [.. _rates.Changes], Rollback = _rollback,
        };
    }

    /// <summary>
    /// A live switch. To BSP the shard moves up to the common start version (the coordinator drained every push first,
    /// so no step is collecting); every switch is answered once a snapshot in the new mode is written. A repeat (the
    /// coordinator asks again when an answer is late) changes nothing and is answered the same way.
    /// </summary>
    private void Handle(SetConsistency set)
    {
        var repeat = (_mode, _staleness) == (set.Consistency, set.Staleness);
        (_mode, _staleness) = (set.Consistency, set.Staleness);
        if (!repeat) _history.ModeSet(); // a repeat keeps the reads served under the mode since it was set
        if (_mode == ConsistencyMode.Bsp && set.StartVersion > _version)
        {
            _version = set.StartVersion;
            _cachedWeights = null;
            _checkpoints.Reached(_version);
        }
        _log.Info("shard {0}: mode {1} from version {2}", _range.ShardId, set.Mode, _version);
        _modeConfirmations.Add(Sender);
        if (_writing is null) Snapshot("a mode switch");
        ServeWaitingPulls();
    }

    /// <summary>
    /// The run's learning-rate changes (<see cref="ShardRates"/>): a longer list is taken, and answered once a snapshot
    /// holding it is written, so that a restarted shard applies them too; a list already held is answered at once.
    /// </summary>
    private void Handle(SetLearningRates set)
    {
        var count = set.Changes.Length;
        if (!_rates.Take(set.Changes))
        {
            Sender.Tell(new LearningRatesSet(_range.ShardId, _rates.Changes.Count, _version, Durable: false));
            return;
        }
        _log.Info("shard {0}: learning rate {1:g6} from version {2} ({3} change(s))", _range.ShardId, _rates.At(_version), _version, count);
        var shardId = _range.ShardId;
        _modeConfirmations.Add(Sender, (version, durable) => new LearningRatesSet(shardId, count, version, durable));
        if (_writing is null) Snapshot("a learning-rate change");
    }

    /// <summary>
    /// Answers the job's-end <see cref="ReportStatistics"/> once the snapshot covers the applied version, snapshotting
    /// again if a write that was already running covered less; after a failed write it answers at once, with the
    /// failure counted in <see cref="ShardStatistics.SnapshotFailures"/>, rather than hold up the job's end.
    /// </summary>
    private void ReportStatisticsOnceDurable(bool writeFailed)
    {
        if (_statisticsRequests.Count == 0) return;
        if (!writeFailed && _version != _snapshotVersion)
        {
            Snapshot("the job's end");
            return;
        }
        var statistics = new ShardStatistics(_range.ShardId, _version, [.. _appliedStaleness.Counts], [.. _clockGap.Counts],
            ((ExtendedActorSystem)Context.System).Provider.DefaultAddress.ToString(), _snapshotSequenceNr, _snapshotFailures, _nonFiniteRefused);
        foreach (var requester in _statisticsRequests) requester.Tell(statistics);
        _statisticsRequests.Clear();
    }

    public static string Name(int shardId) => $"shard-{shardId}";

    private void Handle(PullShard pull)
    {
        Greet(pull.WorkerId);
        // A worker reading for clock c has finished at least c - 1 micro-batches (it pulls one ahead).
        if (_mode == ConsistencyMode.Ssp && pull.WorkerId.Length > 0) _clocks.Observe(pull.WorkerId, Math.Max(0, pull.Clock - 1), pull.Incarnation);
        if (MayServe(pull)) Serve(Sender, pull);
        else _waitingPulls.Add((Sender, pull));
    }

    private bool MayServe(PullShard pull) =>
        _version >= pull.MinVersion && (_mode != ConsistencyMode.Ssp || pull.WorkerId.Length == 0 || _clocks.MayRead(pull.WorkerId, pull.Clock, _staleness));

    private void Serve(IActorRef puller, PullShard pull)
    {
        if (_mode == ConsistencyMode.Ssp && pull.WorkerId.Length > 0)
        {
            _clockGap.Record(_clocks.Gap(pull.WorkerId, pull.Clock));
            _history.ServedUnderSsp(pull.WorkerId, pull.Incarnation, pull.Clock);
        }
        var weights = pull.AtStep && _previousStep?.Version == pull.MinVersion ? _previousStep : CurrentWeights(pull.Exact);
        _wire.Send(puller, weights with { PullId = pull.PullId }, Self);
    }

    private void ServeWaitingPulls()
    {
        if (_waitingPulls.Count == 0) return;
        // One pass: serving changes nothing MayServe reads, so each waiting pull is judged once.
        var waiting = _waitingPulls.ToArray();
        _waitingPulls.Clear();
        foreach (var (puller, pull) in waiting)
        {
            if (MayServe(pull)) Serve(puller, pull);
            else _waitingPulls.Add((puller, pull));
        }
    }

    private void Handle(PushGradients push)
    {
        Greet(push.WorkerId);
        _pushers[push.WorkerId] = Sender;
        var malformed = HeaderProblem(push);
        var damaged = malformed is null && !push.Skipped ? push.Gradient.Problem(_range.Length) : null;
        if (malformed != null || damaged != null)
        {
            // A damaged payload is worth resending; a malformed header would be malformed again.
            _log.Warning("shard {0} rejected push {1}#{2}/{3}: {4}", _range.ShardId, push.WorkerId, push.Incarnation, push.Seq, malformed ?? damaged);
            _history.Rejected(new PushId(push.WorkerId, push.Incarnation, push.Seq), (malformed ?? damaged)!);
            Sender.Tell(new PushRejected(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, (malformed ?? damaged)!, Resend: malformed is null));
            return;
        }
        var id = new PushId(push.WorkerId, push.Incarnation, push.Seq);
        if (!push.Skipped && NonFiniteProblem(push) is { } nonFinite)
        {
            _nonFiniteRefused++;
            _log.Warning("shard {0} refused push {1}#{2}/{3}: {4}", _range.ShardId, push.WorkerId, push.Incarnation, push.Seq, nonFinite);
            _history.Rejected(id, nonFinite);
            Sender.Tell(new PushRejected(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, nonFinite, Resend: false, NonFinite: true));
            return;
        }
        switch (_dedup.Check(id))
        {
            case PushVerdict.Duplicate:
                _history.Rejected(id, "a resend of a push already applied");
                Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: true));
                return;
            case PushVerdict.StaleIncarnation:
                _history.Rejected(id, "stale incarnation");
                Sender.Tell(new PushRejected(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq,
                    "the worker has restarted since (stale incarnation)", Resend: false));
                return;
        }
        CountPushed(push);
        if (_mode == ConsistencyMode.Bsp) AddToStep(push, id, Sender);
        else if (push.Skipped) TakeSkipMarker(push, id);
        else ApplyNow(push, id);
    }

    /// <summary>What the pusher's upstream backup now holds since the last snapshot, as far as this shard can tell.</summary>
    private void CountPushed(PushGradients push)
    {
        var bytes = _pushedSinceSnapshot.GetValueOrDefault(push.WorkerId) + push.Gradient.Bytes.Length;
        _pushedSinceSnapshot[push.WorkerId] = bytes;
        _mostPushedSinceSnapshot = Math.Max(_mostPushedSinceSnapshot, bytes);
    }

    /// <summary>A piece of a push too large for one frame: the whole push is handled once in; an unusable piece is rejected like a damaged push.</summary>
    private void Handle(PayloadChunk chunk)
    {
        var receipt = _chunks.Accept(chunk);
        if (receipt.Message is PushGradients push) Handle(push);
        else if (receipt.Problem != null && chunk.Manifest == nameof(PushGradients))
            Sender.Tell(new PushRejected(chunk.ShardId, chunk.Sender, chunk.Incarnation, chunk.Seq, receipt.Problem, Resend: true));
    }

    private string? HeaderProblem(PushGradients push)
    {
        if (push.ShardId != _range.ShardId) return $"push for shard {push.ShardId} reached shard {_range.ShardId}";
        if (push.Seq < 1) return $"sequence number {push.Seq} (they start at 1)";
        if (!Enum.IsDefined(push.Kind)) return $"unknown push kind {(int)push.Kind}";
        if (push.Kind != PushKind.Gradient && (_outer is null || _mode == ConsistencyMode.Bsp))
            return $"a {push.Kind} reached a shard {(_outer is null ? "set up without local SGD / DiLoCo optimizers" : "in BSP mode")}";
        if (push.Skipped ? push.Samples != 0 || push.Kind != PushKind.Gradient : push.Samples < 1)
            return push.Skipped ? $"a skip marker over {push.Samples} samples" : $"a gradient over {push.Samples} samples";
        if (push.MicroBatchesInStep < 1 || push.IndexInStep < 0 || push.IndexInStep >= push.MicroBatchesInStep)
            return $"micro-batch {push.IndexInStep} of a step of {push.MicroBatchesInStep}";
        if (_mode == ConsistencyMode.Bsp && _steps.TryGetValue(push.Step, out var step) && step.Buffer.MicroBatches != push.MicroBatchesInStep)
            return $"step {push.Step} has {step.Buffer.MicroBatches} micro-batches, the push says {push.MicroBatchesInStep}";
        return null;
    }

    private void ApplyNow(PushGradients push, PushId id)
    {
        Step(push);
        _dedup.Record(id);
        var staleness = Math.Max(0, _version - push.BaseVersion);
        _appliedStaleness.Record(staleness);
        ActorTrainMetrics.Staleness.Record(staleness, ShardTag);
        // SSP's measure: the clock the pusher read its weights for (one before its push's) against the slowest worker now.
        long? clockGap = _mode == ConsistencyMode.Ssp && _history.ReadUnderSsp(push.WorkerId, push.Incarnation, push.Clock)
                                                      && _clocks.IsPlaced(push.WorkerId, push.Incarnation)
            ? _clocks.Gap(push.WorkerId, Math.Max(0, push.Clock - 1))
            : null;
        if (_mode == ConsistencyMode.Ssp) _clocks.ObservePush(push.WorkerId, push.Clock, push.Incarnation);
        Advanced();
        // A read counts as SSP's only since the mode was last set, so the bound now is the one its weights were released under.
        _history.Applied(id, _version, staleness, clockGap, _staleness);
        Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: false));
        _checkpoints.Reached(_version);
        SnapshotIfDue();
    }

    private void Step(PushGradients push)
    {
        if (push.Kind != PushKind.Gradient)
        {
            // A pseudo-gradient is applied as-is: it is already a whole round's movement, not a sum over samples.
            var outer = _outer!.For(push.Kind);
            push.Gradient.DecodeInto(outer.Gradient);
            outer.Step();
            KeepFrozen();
            return;
        }
        var gradient = _optimizer.Gradient;
        if (push.Gradient.Encoding == PayloadEncoding.F32 && BitConverter.IsLittleEndian)
        {
            // One pass: the mean gradient is written straight from the wire bytes into the optimizer's grad.
            FloatSpans.DivideInto(MemoryMarshal.Cast<byte, float>(push.Gradient.Bytes), gradient, push.Samples);
        }
        else
        {
            push.Gradient.DecodeInto(gradient);
            FloatSpans.Divide(gradient, push.Samples);
        }
        _optimizer.SetLearningRate(_rates.At(_version));
        _optimizer.Step();
        KeepFrozen();
    }

    /// <summary>Frozen layers go back to their values after every step (their momentum and decay are computed, and undone here).</summary>
    private void KeepFrozen()
    {
        foreach (var (start, values) in _frozen) _optimizer.Overwrite(start, values);
    }

    /// <param name="waited">An off-step push that has waited its time (or whose step was applied): it goes in now.</param>
    private void AddToStep(PushGradients push, PushId id, IActorRef from, bool waited = false)
    {
        if (push.Step < _version)
        {
            // The step was applied without this copy: another holder of the same micro-batch got there first.
            _dedup.Record(id);
            _history.Rejected(id, $"step {push.Step} was applied with another push of its micro-batch", superseded: true);
            from.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: true));
            return;
        }
        if (push.OffStep && !waited && !(_steps.TryGetValue(push.Step, out var filled) && filled.Buffer.Has(push.IndexInStep)))
        {
            _offStep.Hold(from, push, id);
            return;
        }
        if (!_steps.TryGetValue(push.Step, out var step))
        {
            step = new PendingStep(new BspStepBuffer(push.Step, push.MicroBatchesInStep, _range.Length));
            _steps[push.Step] = step;
        }
        // The dedup table learns of a step's pushes only when the step is applied: a snapshot holds applied state
        // only, so the pushes of a step still collecting must stay fresh for the replay that follows a crash.
        if (step.Acks.Any(a => a.Ack.WorkerId == push.WorkerId && a.Ack.Incarnation == push.Incarnation && a.Ack.Seq == push.Seq))
            return; // a resend of a push this step already holds: acked with the others when the step is applied
        var gradient = new float[_range.Length];
        if (!push.Skipped) push.Gradient.DecodeInto(gradient); // a skip marker fills its slot with nothing
        var added = step.Buffer.Add(push.IndexInStep, gradient, push.Samples);
        step.Acks.Add((from, new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, 0, Duplicate: !added)));
        while (_steps.TryGetValue(_version, out var ready) && ready.Buffer.IsComplete)
        {
            _steps.Remove(_version);
            _previousStep = CurrentWeights(exact: false);
            Advance(ready.Buffer);
            foreach (var (worker, ack) in ready.Acks)
            {
                var applied = new PushId(ack.WorkerId, ack.Incarnation, ack.Seq);
                if (_dedup.Check(applied) == PushVerdict.Fresh) _dedup.Record(applied);
                // BSP computes on the step's own weights: nothing missed. A second push for one micro-batch is not applied.
                if (ack.Duplicate) _history.Rejected(applied, $"step {_version - 1} holds another push of its micro-batch", superseded: true);
                else _history.Applied(applied, _version, 0);
                worker.Tell(ack with { Version = _version });
            }
            _checkpoints.Reached(_version); // before the next step is applied: a BSP checkpoint is exactly at a step boundary
            SnapshotIfDue();
        }
        foreach (var held in _offStep.TakeApplied(_version)) AddToStep(held.Push, held.Id, held.From, waited: true);
    }

    private void Advance(BspStepBuffer step)
    {
        if (step.Samples == 0)
        {
            Advanced(); // every micro-batch of the step was skipped: the version moves on, the weights and optimizer do not
            return;
        }
        Advance(step.MeanGradient());
    }

    private void Advance(ReadOnlySpan<float> meanGradient)
    {
        _optimizer.SetLearningRate(_rates.At(_version));
        _optimizer.Apply(meanGradient);
        KeepFrozen();
        Advanced();
    }

    private void Advanced()
    {
        _version++;
        _cachedWeights = null;
        ServeWaitingPulls();
    }

    /// <summary>Encoded once per version: every puller of that version shares the same immutable payload.</summary>
    private ShardWeights CurrentWeights(bool exact)
    {
        if (exact && _encoding != PayloadEncoding.F32)
            return new ShardWeights(_range.ShardId, _version, TensorPayload.Encode(_optimizer.CurrentWeights, PayloadEncoding.F32));
        return _cachedWeights ??= new ShardWeights(_range.ShardId, _version, TensorPayload.Encode(_optimizer.CurrentWeights, _encoding));
    }

    /// <summary>Its snapshot could not be read: Akka.Persistence stops the shard, and its backoff supervisor starts it again.</summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _log.Error(reason, "shard {0} could not load its snapshot ({1}); it stops and its supervisor starts it again after a pause",
            _range.ShardId, reason.Message);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        _log.Error(reason, "shard {0} fails at version {1}; it restarts from its last snapshot (version {2}) and workers replay the rest",
            _range.ShardId, _version, _snapshotVersion);
        base.PreRestart(reason, message);
    }

    private sealed class SnapshotTick : INoSerializationVerificationNeeded
    {
        public static readonly SnapshotTick Instance = new();
    }

    private sealed record PendingStep(BspStepBuffer Buffer)
    {
        public List<(IActorRef Worker, GradientsApplied Ack)> Acks { get; } = [];
    }
}
