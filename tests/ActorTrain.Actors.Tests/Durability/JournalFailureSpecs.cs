using ActorTrain.Actors.Coordinator;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using ActorTrain.Core.Durability;
using Akka.Actor;
using Akka.Pattern;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Durability;

/// <summary>
/// The coordinator under its backoff supervisor while its journal fails or rejects writes (Akka.Persistence.TestKit):
/// each instance that tries to write stops, the supervisor starts another that replays what is durable, and once the
/// journal works the job goes on to the end with every micro-batch committed exactly once. A worker here is a probe
/// that does what TrainingWorker does: resend what went unanswered.
/// </summary>
public sealed class JournalFailureSpecs : PersistenceFaultSpec
{
    // 8 samples in micro-batches of 2: 4 per epoch, 2 per step; 3 epochs: 6 steps, 12 micro-batches.
    private static readonly BatchPlan Plan = new(trainCount: 8, microBatchSize: 2, microBatchesPerStep: 2, epochs: 3, seed: 1);
    private static readonly TimeSpan Unanswered = TimeSpan.FromMilliseconds(500);
    private readonly TestProbe[] _shards;
    private readonly TestProbe _evaluator;
    private readonly TestProbe _observer;
    private readonly TestProbe _worker;
    private readonly Queue<WorkAssigned> _held = new();
    private readonly HashSet<BatchCommitted> _committed = [];

    public JournalFailureSpecs()
        : base(serializeMessages: false)
    {
        _shards = [CreateTestProbe(), CreateTestProbe()];
        _evaluator = CreateTestProbe();
        _observer = CreateTestProbe();
        _observer.IgnoreMessages<JobProgressed>();
        _worker = CreateTestProbe();
    }

    private IActorRef Coordinator() =>
        Sys.ActorOf(CoordinatorSupervision.Props(JobCoordinator.Props(new CoordinatorSetup(Plan, ConsistencyMode.Bsp, _evaluator.Ref,
            [.. _shards.Select(s => s.Ref)], _observer.Ref, EvaluateEveryUpdates: 0, ProgressInterval: TimeSpan.FromHours(1), Staleness: 0, InnerSteps: 0,
            $"spec-{Guid.NewGuid():N}/coordinator", ["shard-0/checkpoints", "shard-1/checkpoints"], new CheckpointSchedule(0, Plan.TotalSteps),
            SnapshotEvery: 5, Resume: false))));

    /// <summary>
    /// Takes the worker's messages until <paramref name="condition"/> holds: every assignment is kept (a repeated request
    /// may have been answered twice, and a worker does what it is given), every confirmation noted.
    /// </summary>
    private void Until(Func<bool> condition)
    {
        if (condition()) return;
        _worker.FishForMessage(m =>
        {
            if (m is WorkAssigned work) _held.Enqueue(work);
            if (m is BatchCommitted committed) _committed.Add(committed);
            return condition();
        }, Unanswered);
    }

    /// <summary>The next micro-batch the worker holds, asking for work until some is assigned, as a worker whose request went unanswered asks again.</summary>
    private WorkAssigned Request(IActorRef coordinator)
    {
        if (_held.Count == 0)
            AwaitAssert(() =>
            {
                _worker.Send(coordinator, new RequestWork("w1", 1));
                Until(() => _held.Count > 0);
            }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        return _held.Dequeue();
    }

    /// <summary>Reports a micro-batch done until its commit is confirmed, as a worker resends an unconfirmed completion.</summary>
    private void Complete(IActorRef coordinator, WorkAssigned work) =>
        AwaitAssert(() =>
        {
            _worker.Send(coordinator, Done(work));
            Until(() => _committed.Contains(new BatchCommitted(work.Epoch, work.MicroBatch)));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));

    private static BatchCompleted Done(WorkAssigned work) => new("w1", 1, work.Epoch, work.MicroBatch, 1f, work.SampleIndices.Length, 0);

    private async Task<IActorRef> CurrentInstance(IActorRef supervisor, IActorRef? not = null)
    {
        IActorRef? child = null;
        await AwaitAssertAsync(async () =>
        {
            child = (await supervisor.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, TimeSpan.FromSeconds(1))).Ref;
            Assert.True(child is not null && !child.IsNobody() && !child.Equals(not), "a coordinator instance other than the one that stopped");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(20));
        return child!;
    }

    [Theory]
    [InlineData("fail")]
    [InlineData("reject")]
    public async Task While_the_journal_refuses_writes_the_coordinator_stops_and_is_started_again_and_then_the_job_ends_with_each_micro_batch_committed_once(
        string fault)
    {
        var coordinator = Coordinator();
        var first = Request(coordinator);
        var second = Request(coordinator);
        Complete(coordinator, first); // durable, and with it everything decided before: second's assignment too

        if (fault == "fail") await Journal.OnWrite.Fail();
        else await Journal.OnWrite.Reject();
        // Twice: each instance that writes (second's commit) stops before it confirms anything; the supervisor starts another.
        IActorRef? stopped = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var instance = await CurrentInstance(coordinator, not: stopped);
            Watch(instance);
            _worker.Send(coordinator, Done(second));
            ExpectTerminated(instance, TimeSpan.FromSeconds(10), $"coordinator instance {attempt + 1} to stop on its refused write");
            Until(() => !_worker.HasMessages); // what has come so far
            Assert.DoesNotContain(new BatchCommitted(second.Epoch, second.MicroBatch), _committed); // its write failed: not confirmed
            stopped = instance;
        }
        await Journal.OnWrite.Pass();

        // The instance that replays once the journal works still holds second as w1's: its commit goes through now.
        Complete(coordinator, second);
        for (var n = 0; n < Plan.TotalMicroBatches - 2; n++) Complete(coordinator, Request(coordinator));

        Assert.True(_evaluator.FishForMessage(m => m is EvaluateParameters { Final: true }, TimeSpan.FromSeconds(10)) is EvaluateParameters);
        _evaluator.Reply(new ParametersEvaluated(6, 6, 0.5, 0.75, true, 0.5, 0.75, "weights"));
        for (var s = 0; s < _shards.Length; s++)
        {
            _shards[s].FishForMessage(m => m is ReportStatistics);
            _shards[s].Reply(new ShardStatistics(s, 6, [], []));
        }
        var done = (JobCompleted)_observer.FishForMessage(m => m is JobCompleted);
        Assert.Equal((6L, 24L, 0L), (done.Updates, done.Samples, done.ReissuedMicroBatches));
        Assert.Equal(Plan.TotalMicroBatches, done.MicroBatchesByWorker["w1"]);
    }
}
