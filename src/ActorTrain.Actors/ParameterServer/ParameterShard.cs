using System.Runtime.InteropServices;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Numerics;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Core.Optimizers;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// The ps role's unit: one contiguous range of the flat parameter vector, its optimizer state, its version
/// (updates applied) and its dedup table. ASP applies each fresh push on arrival; BSP collects a step's
/// micro-batches and applies their in-order sum once; a local SGD or DiLoCo round's pseudo-gradient is applied on
/// arrival by that mode's outer optimizer (<see cref="OuterOptimizers"/>), whatever the shard's mode when it arrives.
/// Pulls wait until the shard reaches the asked version.
/// </summary>
public sealed class ParameterShard : ReceiveActor
{
    public const string Dispatcher = "akka.actortrain-ps-dispatcher";

    private readonly ShardRange _range;
    private ConsistencyMode _mode;
    private readonly PayloadEncoding _encoding;
    private readonly ShardOptimizer _optimizer;
    private readonly OuterOptimizers? _outer;
    private readonly LearningRateSchedule _schedule;
    private readonly PushDedup _dedup = new();
    private readonly Dictionary<long, PendingStep> _steps = [];
    private readonly List<(IActorRef Puller, PullShard Pull)> _waitingPulls = [];
    private int _staleness;
    private readonly WorkerClocks _clocks = new();
    private readonly StalenessHistogram _appliedStaleness = new();
    private readonly StalenessHistogram _clockGap = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _version;
    private ShardWeights? _cachedWeights;

    public ParameterShard(ShardRange range, float[] initialWeights, OptimizerSpec optimizer, long totalUpdates, ConsistencyMode mode,
        PayloadEncoding encoding, int staleness = 0, LocalTrainingSpec? local = null)
    {
        _staleness = staleness;
        _schedule = optimizer.ScheduleOver(totalUpdates);
        _range = range;
        _mode = mode;
        _encoding = encoding;
        _optimizer = new ShardOptimizer(initialWeights, optimizer);
        _outer = local is null ? null : new OuterOptimizers(_optimizer, local);
        Receive<PullShard>(Handle);
        Receive<PushGradients>(Handle);
        Receive<SetConsistency>(set =>
        {
            _mode = set.Consistency;
            _staleness = set.Staleness;
            _log.Info("shard {0}: mode {1} from version {2}", _range.ShardId, set.Mode, _version);
            ServeWaitingPulls();
        });
        Receive<WorkerLeft>(left =>
        {
            _clocks.Remove(left.WorkerId);
            ServeWaitingPulls();
        });
        Receive<ReportStatistics>(_ => Sender.Tell(new ShardStatistics(_range.ShardId, _version, [.. _appliedStaleness.Counts], [.. _clockGap.Counts])));
    }

    public static Props Props(ShardRange range, float[] initialWeights, OptimizerSpec optimizer, long totalUpdates, ConsistencyMode mode,
        PayloadEncoding encoding, int staleness = 0, LocalTrainingSpec? local = null) =>
        Akka.Actor.Props.Create(() => new ParameterShard(range, initialWeights, optimizer, totalUpdates, mode, encoding, staleness, local))
            .WithDispatcher(Dispatcher);

    public static string Name(int shardId) => $"shard-{shardId}";

    private void Handle(PullShard pull)
    {
        // A worker reading for clock c has finished at least c - 1 micro-batches (it pulls one ahead).
        if (_mode == ConsistencyMode.Ssp && pull.WorkerId.Length > 0) _clocks.Observe(pull.WorkerId, Math.Max(0, pull.Clock - 1));
        if (MayServe(pull)) Serve(Sender, pull);
        else _waitingPulls.Add((Sender, pull));
    }

    private bool MayServe(PullShard pull) =>
        _version >= pull.MinVersion && (_mode != ConsistencyMode.Ssp || pull.WorkerId.Length == 0 || _clocks.MayRead(pull.WorkerId, pull.Clock, _staleness));

    private void Serve(IActorRef puller, PullShard pull)
    {
        if (_mode == ConsistencyMode.Ssp && pull.WorkerId.Length > 0) _clockGap.Record(_clocks.Gap(pull.WorkerId, pull.Clock));
        puller.Tell(CurrentWeights(pull.Exact) with { PullId = pull.PullId });
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
        var malformed = HeaderProblem(push);
        var damaged = malformed is null ? push.Gradient.Problem(_range.Length) : null;
        if (malformed != null || damaged != null)
        {
            // A damaged payload is worth resending; a malformed header would be malformed again.
            _log.Warning("shard {0} rejected push {1}#{2}/{3}: {4}", _range.ShardId, push.WorkerId, push.Incarnation, push.Seq, malformed ?? damaged);
            Sender.Tell(new PushRejected(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, (malformed ?? damaged)!, Resend: malformed is null));
            return;
        }
        var id = new PushId(push.WorkerId, push.Incarnation, push.Seq);
        switch (_dedup.Check(id))
        {
            case PushVerdict.Duplicate:
                Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: true));
                return;
            case PushVerdict.StaleIncarnation:
                Sender.Tell(new PushRejected(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq,
                    "the worker has restarted since (stale incarnation)", Resend: false));
                return;
        }
        if (_mode == ConsistencyMode.Bsp) AddToStep(push, id);
        else ApplyNow(push, id);
    }

    private string? HeaderProblem(PushGradients push)
    {
        if (push.ShardId != _range.ShardId) return $"push for shard {push.ShardId} reached shard {_range.ShardId}";
        if (push.Seq < 1) return $"sequence number {push.Seq} (they start at 1)";
        if (!Enum.IsDefined(push.Kind)) return $"unknown push kind {(int)push.Kind}";
        if (push.Kind != PushKind.Gradient && (_outer is null || _mode == ConsistencyMode.Bsp))
            return $"a {push.Kind} reached a shard {(_outer is null ? "set up without local SGD / DiLoCo optimizers" : "in BSP mode")}";
        if (push.Samples < 1) return $"a gradient over {push.Samples} samples";
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
        _appliedStaleness.Record(Math.Max(0, _version - push.BaseVersion));
        if (_mode == ConsistencyMode.Ssp) _clocks.Observe(push.WorkerId, push.Clock);
        Advanced();
        Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: false));
    }

    private void Step(PushGradients push)
    {
        if (push.Kind != PushKind.Gradient)
        {
            // A pseudo-gradient is applied as-is: it is already a whole round's movement, not a sum over samples.
            var outer = _outer!.For(push.Kind);
            push.Gradient.DecodeInto(outer.Gradient);
            outer.Step();
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
        _optimizer.SetLearningRate(_schedule.At(_version));
        _optimizer.Step();
    }

    private void AddToStep(PushGradients push, PushId id)
    {
        if (push.Step < _version)
        {
            // The step was applied without this copy: another holder of the same micro-batch got there first.
            _dedup.Record(id);
            Sender.Tell(new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, _version, Duplicate: true));
            return;
        }
        if (!_steps.TryGetValue(push.Step, out var step))
        {
            step = new PendingStep(new BspStepBuffer(push.Step, push.MicroBatchesInStep, _range.Length));
            _steps[push.Step] = step;
        }
        _dedup.Record(id);
        var gradient = new float[_range.Length];
        push.Gradient.DecodeInto(gradient);
        var added = step.Buffer.Add(push.IndexInStep, gradient, push.Samples);
        step.Acks.Add((Sender, new GradientsApplied(_range.ShardId, push.WorkerId, push.Incarnation, push.Seq, 0, Duplicate: !added)));
        while (_steps.TryGetValue(_version, out var ready) && ready.Buffer.IsComplete)
        {
            _steps.Remove(_version);
            Advance(ready.Buffer.MeanGradient());
            foreach (var (worker, ack) in ready.Acks) worker.Tell(ack with { Version = _version });
        }
    }

    private void Advance(ReadOnlySpan<float> meanGradient)
    {
        _optimizer.SetLearningRate(_schedule.At(_version));
        _optimizer.Apply(meanGradient);
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

    protected override void PreRestart(Exception reason, object message)
    {
        _log.Error(reason, "shard {0} fails at version {1} and restarts from its initial weights: the updates so far are lost " +
                           "(shard persistence is not implemented yet)", _range.ShardId, _version);
        base.PreRestart(reason, message);
    }

    private sealed record PendingStep(BspStepBuffer Buffer)
    {
        public List<(IActorRef Worker, GradientsApplied Ack)> Acks { get; } = [];
    }
}
