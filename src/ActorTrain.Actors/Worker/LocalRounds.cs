using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Augmentation;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Torch.Training;
using Akka.Actor;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// A <see cref="TrainingWorker"/>'s local SGD and DiLoCo rounds: the round in progress (<see cref="LocalRound"/>, on the
/// actor's thread) and the <see cref="LocalReplica"/> that trains it (created on first use, on the training thread).
/// Each call starts work on the training thread, whose answer comes back to the worker as <see cref="StepTaken"/> or
/// <see cref="RoundClosed"/>. An inner step's learning rate follows the inner optimizer's schedule by the micro-batch's
/// place in the job, so it is the same whichever worker trains it.
/// </summary>
internal sealed class LocalRounds(WorkerSetup setup, TrainingThread thread) : IDisposable
{
    private readonly LocalRound _round = new();
    private LocalReplica? _replica; // touched on the training thread only

    public bool IsOpen => _round.IsOpen;

    public (LocalAction Action, RoundCloseReason? Reason) Next(ConsistencyMode mode, int innerSteps, WorkerPipeline pipeline) =>
        _round.Next(mode, innerSteps, pipeline);

    /// <summary>Opens a round of <paramref name="mode"/> on <paramref name="weights"/> and trains its first micro-batch.</summary>
    public void Open(ConsistencyMode mode, WeightsBuffer weights, WorkAssigned first, IActorRef worker)
    {
        _round.Open(mode, weights.Version);
        var payloads = weights.Payloads.ToArray();
        var inner = setup.Local.Inner(mode);
        var rate = RateOf(first);
        thread.Run(() =>
        {
            _replica ??= new LocalReplica(setup.Model, setup.Layout, setup.Encoding);
            _replica.Begin(mode, inner, payloads);
            return new StepTaken(_replica.Step(setup.Train, first.SampleIndices, rate, MicroBatchSeed.Key(first.Epoch, first.MicroBatch)));
        }, worker);
    }

    /// <summary>Trains the open round's next micro-batch.</summary>
    public void Step(WorkAssigned work, IActorRef worker)
    {
        var rate = RateOf(work);
        thread.Run(() => new StepTaken(_replica!.Step(setup.Train, work.SampleIndices, rate, MicroBatchSeed.Key(work.Epoch, work.MicroBatch))), worker);
    }

    public void Record(WorkAssigned work, MicroBatchResult result) =>
        _round.Record(new LocalStep(new MicroBatchId(work.Epoch, work.MicroBatch), result.LossSum, result.Samples));

    /// <summary>Ends the round and computes its pseudo-gradient.</summary>
    public void Close(IActorRef worker)
    {
        var kind = ConsistencyModes.PushKindOf(_round.Mode);
        var baseVersion = _round.BaseVersion;
        var samples = _round.Samples;
        var batches = _round.Close().Select(s => ((s.MicroBatch.Epoch, s.MicroBatch.Index), new MicroBatchResult(s.LossSum, s.Samples))).ToArray();
        var commit = new PendingCommit(setup.Shards.Count, batches);
        thread.Run(() => new RoundClosed(kind, baseVersion, samples, batches[^1].Item1, commit, _replica!.PseudoGradients()), worker);
    }

    private double RateOf(WorkAssigned work) =>
        setup.Local.Inner(_round.Mode).ScheduleOver(setup.Plan.TotalMicroBatches)
            .At(setup.Plan.PositionOf(new MicroBatchId(work.Epoch, work.MicroBatch)));

    /// <summary>Call once the training thread has stopped.</summary>
    public void Dispose() => _replica?.Dispose();

    /// <summary>The training thread's answer to <see cref="Open"/> and <see cref="Step"/>.</summary>
    public sealed record StepTaken(MicroBatchResult Result) : INoSerializationVerificationNeeded;

    /// <summary>
    /// The training thread's answer to <see cref="Close"/>: what the round's pushes carry, and the commit (filed under
    /// the round's last micro-batch) of the micro-batches they cover.
    /// </summary>
    public sealed record RoundClosed(PushKind Kind, long BaseVersion, int Samples, (int Epoch, int MicroBatch) Key, PendingCommit Commit,
        TensorPayload[] PseudoGradients) : INoSerializationVerificationNeeded;
}
