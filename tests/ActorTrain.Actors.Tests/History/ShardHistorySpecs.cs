using ActorTrain.Actors.History;
using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Actors.Tests.ParameterServer;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Configuration;
using Xunit;
using PushRejected = ActorTrain.Core.History.PushRejected;

namespace ActorTrain.Actors.Tests.History;

/// <summary>
/// A shard records into its process's history (<see cref="RunHistory"/>, set up by config as `run` sets it up): what it
/// applied, what it refused as a duplicate or as superseded, and where each instance started; the checker reads the
/// file it flushes, and catches a violation written into it.
/// </summary>
public sealed class ShardHistorySpecs : Akka.TestKit.Xunit2.TestKit
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec PlainSgd = new(OptimizerKind.Sgd, 1.0, 0, 0, 0.9, 0.999, false, ScheduleKind.Constant, WarmupUpdates: 0);
    private static readonly float[] Gradient = [0.5f, -1f, 2f];
    private readonly string _directory;

    public ShardHistorySpecs()
        : this(Directory.CreateTempSubdirectory("shard-history-").FullName)
    {
    }

    private ShardHistorySpecs(string directory)
        : base(ConfigurationFactory.ParseString($"""
            akka.actor.serialize-messages = on
            {RunSettings.HistoryDirectoryKey} = {HoconText.Quote(directory)}
            """).WithFallback(JobConfig.Reference))
    {
        _directory = directory;
        TorchRuntime.EnsureReady();
        IgnoreMessages(m => m is ShardStarted or ShardSnapshotted);
    }

    private RunHistory History => RunHistory.Get(Sys);

    private IActorRef Shard(ConsistencyMode mode) =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(ShardId, 0, Gradient.Length), [0f, 0f, 0f], PlainSgd, 100, mode, PayloadEncoding.F32,
            ShardSpec.NoSnapshots()));

    private static PushGradients Push(string worker, long seq, long step = 0, int index = 0, int microBatches = 1) =>
        new(ShardId, worker, 1, seq, step, index, microBatches, 1, BaseVersion: step, TensorPayload.Encode(Gradient, PayloadEncoding.F32));

    /// <summary>What the shard recorded, read back from the file it flushes to, as the checker reads it.</summary>
    private IReadOnlyList<HistoryEvent> Flushed()
    {
        History.Flush();
        return HistoryFile.Read(History.FilePath!);
    }

    [Fact]
    public void An_asp_shard_records_its_start_an_application_and_a_resend_rejected_as_a_duplicate()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push("w0", 1));
        ExpectMsg<GradientsApplied>(a => !a.Duplicate);

        shard.Tell(Push("w0", 1));
        ExpectMsg<GradientsApplied>(a => a.Duplicate);

        var history = Flushed();
        Assert.Equal(
            [
                new ShardRestored(ShardId, 0, RestoreCause.Recovery),
                new PushApplied(ShardId, new PushId("w0", 1, 1), 1, 0),
                new PushRejected(ShardId, new PushId("w0", 1, 1), "a resend of a push already applied"),
            ],
            history.Select(e => e with { Process = "", Sequence = 0, At = default }));
        Assert.StartsWith("in-process-", Path.GetFileName(History.FilePath));
        Assert.True(InvariantChecker.Check(history, new InvariantCheckOptions(ConsistencyMode.Asp))[0].Holds);
    }

    [Fact]
    public void A_bsp_shard_records_a_second_push_for_one_micro_batch_as_superseded_and_the_step_s_pushes_as_applied()
    {
        var shard = Shard(ConsistencyMode.Bsp);
        shard.Tell(Push("w0", 1, index: 0, microBatches: 2));
        shard.Tell(Push("w1", 1, index: 0, microBatches: 2)); // a re-issued copy of micro-batch 0
        shard.Tell(Push("w0", 2, index: 1, microBatches: 2));
        ExpectMsg<GradientsApplied>();
        ExpectMsg<GradientsApplied>();
        ExpectMsg<GradientsApplied>();

        var shardEvents = Flushed().Where(e => e is PushApplied or PushRejected).Select(e => e with { Process = "", Sequence = 0, At = default });

        Assert.Equal(
            [
                new PushApplied(ShardId, new PushId("w0", 1, 1), 1, 0),
                new PushRejected(ShardId, new PushId("w1", 1, 1), "step 0 holds another push of its micro-batch", Superseded: true),
                new PushApplied(ShardId, new PushId("w0", 1, 2), 1, 0),
            ],
            shardEvents);
    }

    [Fact]
    public void The_checker_catches_an_application_written_twice_into_a_real_recorded_history()
    {
        var shard = Shard(ConsistencyMode.Asp);
        shard.Tell(Push("w0", 1));
        ExpectMsg<GradientsApplied>();
        var recorded = Flushed();
        Assert.True(InvariantChecker.Check(recorded, new InvariantCheckOptions(ConsistencyMode.Asp))[0].Holds);

        // Tampered: the application appended again as if recorded later, as a shard applying a resend would.
        var applied = recorded.OfType<PushApplied>().Single();
        HistoryFile.Append(History.FilePath!, [applied with { Sequence = recorded.Count, VersionAfter = 2 }]);
        var verdict = InvariantChecker.Check(HistoryFile.Read(History.FilePath!), new InvariantCheckOptions(ConsistencyMode.Asp))[0];

        Assert.False(verdict.Holds);
        Assert.Equal("push w0#1/1 applied twice at shard 0 (versions 1 and 2)", verdict.Detail);
    }

    [Fact]
    public void Without_a_history_directory_or_with_the_history_off_nothing_is_recorded()
    {
        using var off = ActorSystem.Create("off", ConfigurationFactory.ParseString($"""
            {RunSettings.HistoryDirectoryKey} = {HoconText.Quote(_directory)}
            actortrain.run.history = off
            """).WithFallback(JobConfig.Reference));
        using var nowhere = ActorSystem.Create("nowhere", JobConfig.Reference);

        Assert.Null(RunHistory.Of(off));
        Assert.Null(RunHistory.Of(nowhere));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
