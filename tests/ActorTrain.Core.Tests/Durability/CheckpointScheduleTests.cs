using ActorTrain.Core.Durability;
using Xunit;

namespace ActorTrain.Core.Tests.Durability;

public sealed class CheckpointScheduleTests
{
    private readonly CheckpointSchedule _every10Of100 = new(EveryUpdates: 10, TotalUpdates: 100);

    [Fact]
    public void Bsp_asks_for_a_boundary_one_step_ahead_once()
    {
        Assert.Equal(20L, _every10Of100.AtStepBoundary(step: 19, lastTarget: 10).Version);
        Assert.Null(_every10Of100.AtStepBoundary(step: 19, lastTarget: 20).Version);
        Assert.Null(_every10Of100.AtStepBoundary(step: 20, lastTarget: 10).Version);
        Assert.Equal("not a multiple of every-updates", _every10Of100.AtStepBoundary(step: 20, lastTarget: 10).Reason);
    }

    [Fact]
    public void Bsp_never_checkpoints_the_last_step_or_when_off()
    {
        Assert.Equal((null, "step 100 is the job's end"), _every10Of100.AtStepBoundary(step: 99, lastTarget: 90));
        Assert.Equal((null, "checkpoints are off"), new CheckpointSchedule(0, 100).AtStepBoundary(step: 9, lastTarget: 0));
    }

    [Fact]
    public void Async_modes_checkpoint_when_committed_updates_reach_the_next_multiple()
    {
        Assert.False(_every10Of100.AfterCommit(updates: 9, lastTarget: 0).Due);
        Assert.Equal((true, "update 10 reached a multiple of 10"), _every10Of100.AfterCommit(updates: 10, lastTarget: 0));
        Assert.False(_every10Of100.AfterCommit(updates: 13, lastTarget: 10).Due);
        Assert.True(_every10Of100.AfterCommit(updates: 23, lastTarget: 10).Due); // commits may pass a multiple between two looks
        Assert.False(_every10Of100.AfterCommit(updates: 100, lastTarget: 90).Due);
        Assert.False(new CheckpointSchedule(0, 100).AfterCommit(updates: 50, lastTarget: 0).Due);
    }
}
