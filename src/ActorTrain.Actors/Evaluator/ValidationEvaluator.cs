using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Wire;
using ActorTrain.Actors.Worker;
using ActorTrain.Core.Numerics;
using ActorTrain.Torch.Evaluation;
using Akka.Actor;
using Akka.Event;

namespace ActorTrain.Actors.Evaluator;

/// <summary>
/// The evaluator role: on request, pulls every shard's exact (f32) weights and measures them on the validation
/// split; a final request also measures the test split (used for nothing else) and hashes the weights.
/// Requests that arrive while one runs are merged into one that follows it.
/// </summary>
public sealed class ValidationEvaluator : ReceiveActor, IWithTimers
{
    private const string RepullTimer = "repull";

    /// <summary>A shard that has not answered a pull within this time is pulled again (a pull or its answer was lost).</summary>
    private static readonly TimeSpan RepullAfter = TimeSpan.FromSeconds(5);

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly EvaluatorSetup _setup;
    private readonly TrainingThread _thread = new("evaluator");
    private readonly ModelEvaluator _evaluator;
    private readonly float[] _weights;
    private readonly long[] _versions;
    private (EvaluateParameters Request, IActorRef ReplyTo)? _running;
    private (EvaluateParameters Request, IActorRef ReplyTo)? _queued;
    private int _missing;
    // Which shards have answered this evaluation's pull: a second answer (a re-pull crossing a reply) counts once.
    private readonly bool[] _received;
    private readonly ChunkReceiver _chunks;

    public ValidationEvaluator(EvaluatorSetup setup)
    {
        _setup = setup;
        _evaluator = new ModelEvaluator(setup.Model);
        _weights = new float[setup.Layout.TotalLength];
        _versions = new long[setup.Shards.Count];
        _received = new bool[setup.Shards.Count];
        _chunks = new ChunkReceiver(WireSettings.Of(Context.System), Context.GetLogger(), "evaluator");
        Receive<EvaluateParameters>(Handle);
        Receive<ShardWeights>(Handle);
        Receive<PayloadChunk>(Handle);
        Receive<ParametersEvaluated>(Handle);
        Receive<RepullDue>(_ =>
        {
            if (_running is null || _missing == 0) return;
            for (var s = 0; s < _setup.Shards.Count; s++)
                if (!_received[s]) Pull(s);
        });
    }

    public static Props Props(EvaluatorSetup setup) => Akka.Actor.Props.Create(() => new ValidationEvaluator(setup));

    private void Handle(EvaluateParameters request)
    {
        if (_running is null) Start(request, Sender);
        else _queued = (_queued is { } q && q.Request.Final ? q.Request : request, Sender);
    }

    private void Start(EvaluateParameters request, IActorRef replyTo)
    {
        _running = (request, replyTo);
        _missing = _setup.Shards.Count;
        Array.Clear(_received);
        for (var s = 0; s < _setup.Shards.Count; s++) Pull(s);
        Timers.StartPeriodicTimer(RepullTimer, RepullDue.Instance, RepullAfter);
    }

    private void Pull(int shard) => _setup.Shards[shard].Tell(new PullShard(shard, 0, Exact: true));

    /// <summary>A piece of weights too large for one frame: handled whole once in; an unusable piece means pulling that shard again.</summary>
    private void Handle(PayloadChunk chunk)
    {
        var receipt = _chunks.Accept(chunk);
        if (receipt.Message is ShardWeights weights) Handle(weights);
        else if (receipt.Problem != null && _running != null && !_received[chunk.ShardId]) Pull(chunk.ShardId);
    }

    private void Handle(ShardWeights weights)
    {
        if (_running is null || _received[weights.ShardId]) return;
        var range = _setup.Layout[weights.ShardId];
        var problem = weights.Weights.Problem(range.Length);
        if (problem != null)
        {
            Pull(weights.ShardId);
            return;
        }
        _received[weights.ShardId] = true;
        weights.Weights.DecodeInto(_weights.AsSpan(range.Start, range.Length));
        _versions[weights.ShardId] = weights.Version;
        if (--_missing > 0) return;
        Timers.Cancel(RepullTimer);
        var request = _running!.Value.Request;
        var version = _versions.Min();
        _thread.Run(() => Evaluate(request, version)).PipeTo(Self);
    }

    /// <summary>Runs on the evaluator's own thread.</summary>
    private ParametersEvaluated Evaluate(EvaluateParameters request, long version)
    {
        var validation = _evaluator.Evaluate(_weights, _setup.Validation);
        if (!request.Final)
            return new ParametersEvaluated(request.Updates, version, validation.MeanLoss, validation.Accuracy, false, double.NaN, double.NaN, "",
                validation.Confusion.ToCounts());
        var test = _evaluator.Evaluate(_weights, _setup.Test);
        var hash = WeightsDigest.Sha256(_weights);
        return new ParametersEvaluated(request.Updates, version, validation.MeanLoss, validation.Accuracy, true, test.MeanLoss, test.Accuracy, hash,
            validation.Confusion.ToCounts(), test.Confusion.ToCounts());
    }

    private void Handle(ParametersEvaluated evaluated)
    {
        _running!.Value.ReplyTo.Tell(evaluated);
        _running = null;
        if (_queued is { } next)
        {
            _queued = null;
            Start(next.Request, next.ReplyTo);
        }
    }

    private sealed class RepullDue : INoSerializationVerificationNeeded
    {
        public static readonly RepullDue Instance = new();
    }

    protected override void PostStop()
    {
        _thread.Dispose();
        _evaluator.Dispose();
    }
}
