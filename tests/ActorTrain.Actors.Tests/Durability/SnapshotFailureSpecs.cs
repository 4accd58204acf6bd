using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Tests.Hosting;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Durability;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using ActorTrain.Torch.Native;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Xunit;

namespace ActorTrain.Actors.Tests.Durability;

/// <summary>
/// A shard under its backoff supervisor while the snapshot store fails (Akka.Persistence.TestKit): failed writes leave
/// it serving, retrying, and reporting degraded durability, and its worker (this spec, through a probe and a real
/// <see cref="UpstreamBackup{T}"/>) keeping its pushes; a failed read stops it until its supervisor finds the store working.
/// Either way a shard killed afterwards comes back to bitwise the weights of one that never died (momentum SGD, so
/// the optimizer state has to come back too).
/// </summary>
public sealed class SnapshotFailureSpecs : PersistenceFaultSpec
{
    private const int ShardId = 0;
    private static readonly OptimizerSpec Momentum = new(OptimizerKind.Sgd, 0.1, 0.9, 0, 0.9, 0.999, Nesterov: true);
    private static readonly float[] Initial = [0.5f, -1.25f, 3.1f, 0.1f];
    private static readonly float[][] Gradients =
        [[0.3f, -2.5f, 1e-3f, 4f], [-0.9f, 0.25f, 2.2f, -1f], [1f, 0.75f, -0.125f, 6f], [0.05f, 3f, -7f, 0.5f], [2f, -1f, 0.5f, 0.25f]];
    private static readonly SnapshotRetry QuickRetry = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400));
    private readonly UpstreamBackup<PushGradients> _backup = new(1, long.MaxValue);
    private readonly TestProbe _worker;
    private readonly Dictionary<long, GradientsApplied> _acks = [];
    private readonly Dictionary<long, ShardWeights> _weights = [];
    private ShardStarted? _greeting;
    private long _snapshotVersion;

    public SnapshotFailureSpecs()
    {
        TorchRuntime.EnsureReady();
        _worker = CreateTestProbe();
    }

    private IActorRef Shard(string persistenceId, long snapshotEvery) =>
        Sys.ActorOf(ShardSupervision.Props(ParameterShard.Props(new ShardRange(ShardId, 0, Initial.Length), [.. Initial], Momentum, 100, ConsistencyMode.Asp,
            PayloadEncoding.F32, new ShardDurability(persistenceId, new SnapshotPolicy(snapshotEvery, TimeSpan.Zero, Keep: 2, QuickRetry)))));

    private static PushGradients Push(long seq) =>
        new(ShardId, "w", 1, seq, Step: 0, 0, 1, Samples: 2, BaseVersion: 0, TensorPayload.Encode(Gradients[seq - 1], PayloadEncoding.F32));

    /// <summary>Sends a push as a worker does: kept in the backup until a snapshot covers it.</summary>
    private void Send(IActorRef shard, long seq)
    {
        _backup.Retain(ShardId, seq, Push(seq), 16);
        _worker.Send(shard, Push(seq));
    }

    /// <summary>
    /// The worker's side: each <see cref="ShardSnapshotted"/> releases what it covers from the backup; acks, greetings and
    /// weights are kept. Takes messages until <paramref name="condition"/> holds.
    /// </summary>
    private void Until(Func<bool> condition, TimeSpan? timeout = null)
    {
        if (condition()) return;
        _worker.FishForMessage(m =>
        {
            switch (m)
            {
                case ShardSnapshotted s:
                    _backup.Release(ShardId, s.Covered.Watermark, s.Covered.AppliedAboveWatermark);
                    _snapshotVersion = Math.Max(_snapshotVersion, s.Version);
                    break;
                case GradientsApplied a:
                    _acks[a.Seq] = a;
                    break;
                case ShardStarted started:
                    _greeting = started;
                    break;
                case ShardWeights w:
                    _weights[w.PullId] = w;
                    break;
            }
            return condition();
        }, timeout ?? TimeSpan.FromSeconds(15));
    }

    private static float[] Decode(ShardWeights weights) => PayloadCodec.Decode(weights.Weights.Bytes, weights.Weights.Encoding);

    private static int[] Bits(float[] weights) => [.. weights.Select(BitConverter.SingleToInt32Bits)];

    private static string Text(LogEvent e) => e.Message?.ToString() ?? "";

    /// <summary>The weights of a shard that takes all five pushes, never snapshots and never dies.</summary>
    private float[] Uninterrupted()
    {
        var shard = Shard($"straight-{Guid.NewGuid():N}", snapshotEvery: 0);
        var probe = CreateTestProbe();
        for (var seq = 1; seq <= Gradients.Length; seq++)
        {
            probe.Send(shard, Push(seq));
            probe.FishForMessage<GradientsApplied>(a => a.Seq == seq && !a.Duplicate);
        }
        probe.Send(shard, new PullShard(ShardId, Gradients.Length));
        return Decode(probe.FishForMessage<ShardWeights>(w => w.Version == Gradients.Length));
    }

    private async Task Kill(IActorRef shard)
    {
        var child = await Sys.ActorSelection(shard.Path / ShardSupervision.ChildName).ResolveOne(TimeSpan.FromSeconds(3));
        Watch(child);
        child.Tell(Akka.Actor.Kill.Instance);
        ExpectTerminated(child);
    }

    /// <summary>
    /// Pulls as a worker until an instance greets it: pulls that reach no instance (between a stop and the supervisor's
    /// next start) or one that fails its recovery are lost, as over the network; the first instance that recovers greets.
    /// </summary>
    private async Task PullUntilGreeted(IActorRef shard)
    {
        var pullId = 1000L;
        await AwaitAssertAsync(() =>
        {
            _worker.Send(shard, new PullShard(ShardId, 0, WorkerId: "w", Clock: 0, PullId: ++pullId));
            Until(() => _greeting != null, TimeSpan.FromSeconds(1));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
    }

    /// <summary>The rest of the run after a restart: the greeting, the replay of the backup, the last pushes, and the final weights.</summary>
    private float[] ReplayAndFinish(IActorRef shard, long recoveredAt)
    {
        const long pullId = 500;
        Assert.Equal(new ShardStarted(ShardId, recoveredAt), _greeting);
        _worker.Send(shard, new PullShard(ShardId, 0, WorkerId: "w", Clock: 0, PullId: pullId));
        Until(() => _weights.ContainsKey(pullId));
        Assert.Equal(recoveredAt, _weights[pullId].Version);
        var replayed = _backup.ToReplay(ShardId).Select(p => p.Seq).ToList();
        _acks.Clear();
        foreach (var push in _backup.ToReplay(ShardId)) _worker.Send(shard, push);
        for (var seq = (replayed.Count > 0 ? replayed.Max() : recoveredAt) + 1; seq <= Gradients.Length; seq++) Send(shard, seq);
        Until(() => _acks.ContainsKey(Gradients.Length));
        // Each push after the snapshot is applied once more, none twice: the acks are fresh and count the versions up.
        Assert.Equal(Enumerable.Range((int)recoveredAt + 1, Gradients.Length - (int)recoveredAt).Select(v => (long)v),
            _acks.Values.Where(a => !a.Duplicate).OrderBy(a => a.Seq).Select(a => a.Version));
        _worker.Send(shard, new PullShard(ShardId, Gradients.Length, PullId: pullId + 1));
        Until(() => _weights.ContainsKey(pullId + 1));
        return Decode(_weights[pullId + 1]);
    }

    [Fact]
    public async Task While_snapshot_writes_fail_the_shard_serves_retries_and_reports_it_and_once_one_succeeds_a_killed_shard_recovers_bitwise()
    {
        var expected = Uninterrupted();
        var shard = Shard("degraded", snapshotEvery: 1);
        _worker.Send(shard, new PullShard(ShardId, 0, WorkerId: "w", Clock: 0, PullId: 0));
        Assert.Equal(new ShardStarted(ShardId, 0), _worker.ExpectMsg<ShardStarted>());
        _worker.ExpectMsg<ShardWeights>();

        await Snapshots.OnSave.Fail();
        var degraded = EventStreamCondition.Arm<Warning>(Sys, w => Text(w).Contains("durability is degraded"));
        for (var seq = 1; seq <= 3; seq++)
        {
            Send(shard, seq);
            Assert.Equal(new GradientsApplied(ShardId, "w", 1, seq, seq, Duplicate: false), _worker.ExpectMsg<GradientsApplied>());
        }
        await degraded.WaitAsync(TimeSpan.FromSeconds(10));

        // It still answers pulls, and nothing covered the pushes: had a ShardSnapshotted come, ExpectMsg would have failed on it.
        _worker.Send(shard, new PullShard(ShardId, 3, WorkerId: "w", Clock: 3, PullId: 2));
        Assert.Equal(3, _worker.ExpectMsg<ShardWeights>().Version);
        Assert.Equal([1L, 2L, 3L], _backup.ToReplay(ShardId).Select(p => p.Seq));
        _worker.Send(shard, new ReportStatistics(ShardId)); // the job's end tries once more, and the failures are in the figures
        var statistics = _worker.ExpectMsg<ShardStatistics>();
        Assert.Equal(0, statistics.Snapshots);
        Assert.InRange(statistics.SnapshotFailures, 2, long.MaxValue);

        // The store works again: the next try (after the backoff) succeeds, and it is logged. The worker keeps its pushes:
        // the shard's fallback (the snapshot it loads should this first one be damaged) is still its initial weights.
        var restored = EventStreamCondition.Arm<Warning>(Sys, w => Text(w).Contains("durability is no longer degraded"));
        await Snapshots.OnSave.Pass();
        Send(shard, 4);
        Until(() => _snapshotVersion == 4);
        await restored.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L, 3L, 4L], _backup.ToReplay(ShardId).Select(p => p.Seq));

        _greeting = null;
        await Kill(shard);
        await PullUntilGreeted(shard);
        Assert.Equal(Bits(expected), Bits(ReplayAndFinish(shard, recoveredAt: 4)));
    }

    [Fact]
    public async Task A_shard_whose_snapshot_cannot_be_read_is_started_again_until_it_can_and_the_replay_restores_bitwise_the_uninterrupted_weights()
    {
        var expected = Uninterrupted();
        var shard = Shard("unreadable", snapshotEvery: 2);
        for (var seq = 1; seq <= 3; seq++) Send(shard, seq);
        Until(() => _snapshotVersion == 2 && _acks.ContainsKey(3));
        Assert.Equal([1L, 2L, 3L], _backup.ToReplay(ShardId).Select(p => p.Seq)); // the fallback is still the initial weights
        _greeting = null;

        await Snapshots.OnLoad.Fail();
        var unreadable = EventStreamCondition.Arm<Error>(Sys, e => Text(e).Contains("could not load its snapshot"));
        await Kill(shard);
        await unreadable.WaitAsync(TimeSpan.FromSeconds(10)); // the instance its supervisor started could not read, and stopped
        await Snapshots.OnLoad.Pass();

        await PullUntilGreeted(shard);
        Assert.Equal(Bits(expected), Bits(ReplayAndFinish(shard, recoveredAt: 2)));
    }
}
