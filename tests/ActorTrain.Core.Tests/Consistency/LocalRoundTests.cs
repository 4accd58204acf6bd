using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class LocalRoundTests
{
    private static LocalStep Step(int index, int samples = 32) => new(new MicroBatchId(0, index), LossSum: index + 0.5f, samples);

    [Fact]
    public void A_round_closes_after_H_steps_and_hands_back_its_steps_in_order()
    {
        var round = new LocalRound();
        round.Open(ConsistencyMode.LocalSgd, baseVersion: 17);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(round.CloseReason(ConsistencyMode.LocalSgd, innerSteps: 3, waitingForWork: false));
            round.Record(Step(i, samples: 10 + i));
        }

        Assert.Equal(RoundCloseReason.Full, round.CloseReason(ConsistencyMode.LocalSgd, innerSteps: 3, waitingForWork: false));
        Assert.Equal(17, round.BaseVersion);
        Assert.Equal(33, round.Samples);
        Assert.Equal([Step(0, 10), Step(1, 11), Step(2, 12)], round.Close());
        Assert.False(round.IsOpen);
        Assert.Empty(round.Steps);
    }

    [Fact]
    public void A_round_without_steps_never_closes()
    {
        var round = new LocalRound();
        Assert.Null(round.CloseReason(ConsistencyMode.Asp, innerSteps: 1, waitingForWork: true));
        round.Open(ConsistencyMode.DiLoCo, baseVersion: 0);
        Assert.Null(round.CloseReason(ConsistencyMode.Asp, innerSteps: 1, waitingForWork: true));
        Assert.Throws<InvalidOperationException>(() => round.Close());
    }

    [Theory]
    [InlineData(ConsistencyMode.Asp)]
    [InlineData(ConsistencyMode.Ssp)]
    [InlineData(ConsistencyMode.LocalSgd)]
    public void A_live_switch_away_from_the_round_s_mode_closes_it_early(ConsistencyMode now)
    {
        var round = new LocalRound();
        round.Open(ConsistencyMode.DiLoCo, baseVersion: 4);
        round.Record(Step(0));

        Assert.Equal(RoundCloseReason.ModeChanged, round.CloseReason(now, innerSteps: 8, waitingForWork: false));
        Assert.Equal(ConsistencyMode.DiLoCo, round.Mode);
    }

    [Fact]
    public void A_lower_H_set_live_closes_a_round_that_already_has_that_many_steps()
    {
        var round = new LocalRound();
        round.Open(ConsistencyMode.LocalSgd, baseVersion: 0);
        for (var i = 0; i < 5; i++) round.Record(Step(i));

        Assert.Null(round.CloseReason(ConsistencyMode.LocalSgd, innerSteps: 8, waitingForWork: false));
        Assert.Equal(RoundCloseReason.Full, round.CloseReason(ConsistencyMode.LocalSgd, innerSteps: 4, waitingForWork: false));
    }

    [Fact]
    public void A_worker_told_there_is_no_work_closes_a_partial_round_so_its_micro_batches_can_be_committed()
    {
        var round = new LocalRound();
        round.Open(ConsistencyMode.LocalSgd, baseVersion: 0);
        round.Record(Step(0));

        Assert.Equal(RoundCloseReason.NoWorkAvailable, round.CloseReason(ConsistencyMode.LocalSgd, innerSteps: 8, waitingForWork: true));
        Assert.Equal([Step(0)], round.Close());
    }

    [Fact]
    public void Only_local_modes_open_rounds_and_only_one_at_a_time()
    {
        var round = new LocalRound();
        Assert.Throws<ArgumentOutOfRangeException>(() => round.Open(ConsistencyMode.Asp, 0));
        Assert.Throws<InvalidOperationException>(() => round.Record(Step(0)));
        round.Open(ConsistencyMode.LocalSgd, 0);
        Assert.Throws<InvalidOperationException>(() => round.Open(ConsistencyMode.LocalSgd, 1));
    }
}
