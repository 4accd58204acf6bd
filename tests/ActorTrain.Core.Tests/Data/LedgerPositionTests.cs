using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Core.Tests.Data;

public sealed class LedgerPositionTests
{
    // 10 samples in micro-batches of 3: 4 per epoch (the last holds 1), 2 per step: 2 steps per epoch.
    private static readonly BatchPlan Plan = new(trainCount: 10, microBatchSize: 3, microBatchesPerStep: 2, epochs: 3, seed: 1);

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 2)]
    [InlineData(2, 1, 0)]
    [InlineData(5, 2, 2)]
    [InlineData(6, 3, 0)]
    public void A_step_boundary_is_the_first_micro_batch_of_that_step_with_nothing_left_undone(long step, int epoch, int index)
    {
        var position = LedgerPosition.AtStep(Plan, step);

        Assert.Equal(new LedgerPosition(new MicroBatchId(epoch, index), []), position);
        Assert.Equal(step * 2, position.Committed(Plan));
    }

    [Fact]
    public void A_step_past_the_job_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => LedgerPosition.AtStep(Plan, 7));

    [Fact]
    public void Samples_count_the_short_last_micro_batch_of_an_epoch_and_leave_out_what_is_not_done()
    {
        Assert.Equal(0, LedgerPosition.Start.Samples(Plan));
        Assert.Equal(6, LedgerPosition.AtStep(Plan, 1).Samples(Plan));
        Assert.Equal(10, LedgerPosition.AtStep(Plan, 2).Samples(Plan));
        Assert.Equal(30, LedgerPosition.AtStep(Plan, 6).Samples(Plan));
        var gaps = new LedgerPosition(new MicroBatchId(1, 1), [new(0, 3), new(0, 0)]);
        Assert.Equal(10 + 3 - 1 - 3, gaps.Samples(Plan));
        Assert.Equal(5 - 2, gaps.Committed(Plan));
    }

    [Fact]
    public void Positions_are_equal_by_content() =>
        Assert.Equal(new LedgerPosition(new MicroBatchId(1, 1), [new(0, 3)]), new LedgerPosition(new MicroBatchId(1, 1), [new MicroBatchId(0, 3)]));
}
