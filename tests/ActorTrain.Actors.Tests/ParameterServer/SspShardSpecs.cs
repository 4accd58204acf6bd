using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Codecs;
using Akka.Actor;
using Xunit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>SSP's bound, at the shard: a worker reads for clock c only while the slowest live worker is at ≥ c − s.</summary>
public sealed class SspShardSpecs : ShardSpec
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);
    private static readonly OptimizerSpec Sgd = new(OptimizerKind.Sgd, 0.1, 0, 0, 0.9, 0.999, false);
    private const int Bound = 1;

    private IActorRef Shard() =>
        Sys.ActorOf(ParameterShard.Props(new ShardRange(0, 0, 2), [1f, 2f], Sgd, 100, ConsistencyMode.Ssp, PayloadEncoding.F32,
            NoSnapshots(), Bound));

    private static PushGradients Push(string worker, long clock) =>
        new(0, worker, 1, clock, 0, 0, 1, 1, 0, TensorPayload.Encode([0.5f, 0.5f], PayloadEncoding.F32), clock);

    private static PullShard Read(string worker, long clock) => new(0, 0, false, worker, clock, Incarnation: 1); // the pushes' incarnation, as a worker reads

    [Fact]
    public void A_worker_more_than_s_clocks_ahead_of_the_slowest_waits_until_the_slowest_catches_up()
    {
        var shard = Shard();
        shard.Tell(Read("slow", 0));
        ExpectMsg<ShardWeights>();
        shard.Tell(Read("fast", 0));
        ExpectMsg<ShardWeights>();

        // fast finishes clocks 1 and 2; reading for clock 2 is 2 ahead of slow (at 0): above the bound.
        shard.Tell(Push("fast", 1));
        ExpectMsg<GradientsApplied>();
        shard.Tell(Push("fast", 2));
        ExpectMsg<GradientsApplied>();
        shard.Tell(Read("fast", 2));
        ExpectNoMsg(Quiet);

        // slow finishes clock 1: fast at 2 is now within 1, and its read is answered.
        shard.Tell(Push("slow", 1));
        var answers = ReceiveN(2, TimeSpan.FromSeconds(5));
        Assert.Single(answers.OfType<GradientsApplied>());
        Assert.Equal(3, Assert.Single(answers.OfType<ShardWeights>()).Version);

        shard.Tell(new ReportStatistics(0));
        var statistics = FishForMessage<ShardStatistics>(_ => true); // after the job's-end snapshot (ShardSnapshotted to the pushers)
        Assert.Equal(Bound, statistics.ClockGapAtPull.Length - 1); // the largest gap at any served read is exactly s
    }

    [Fact]
    public void A_worker_that_left_no_longer_holds_the_others_back()
    {
        var shard = Shard();
        shard.Tell(Read("gone", 0));
        ExpectMsg<ShardWeights>();
        shard.Tell(Read("fast", 0));
        ExpectMsg<ShardWeights>();
        shard.Tell(Push("fast", 1));
        ExpectMsg<GradientsApplied>();
        shard.Tell(Push("fast", 2));
        ExpectMsg<GradientsApplied>();
        shard.Tell(Read("fast", 3));
        ExpectNoMsg(Quiet);

        shard.Tell(new WorkerLeft("gone"));
        ExpectMsg<ShardWeights>();
    }

    [Fact]
    public void Reads_without_a_worker_id_are_never_held_back()
    {
        var shard = Shard();
        shard.Tell(Read("slow", 0));
        ExpectMsg<ShardWeights>();
        shard.Tell(new PullShard(0, 0, Exact: true));
        ExpectMsg<ShardWeights>();
    }
}
