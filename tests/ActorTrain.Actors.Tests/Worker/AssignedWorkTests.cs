using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Worker;
using Xunit;

namespace ActorTrain.Actors.Tests.Worker;

/// <summary>A worker takes each assignment once: a repeat of one it holds, or has just committed, is ignored.</summary>
public sealed class AssignedWorkTests
{
    private static WorkAssigned Work(int epoch, int microBatch) => new(epoch, microBatch, 0, 0, 1, [1, 2, 3]);

    [Fact]
    public void A_repeat_of_a_held_assignment_is_not_taken_again()
    {
        var work = new AssignedWork();

        Assert.True(work.Accept(Work(0, 1)));
        Assert.False(work.Accept(Work(0, 1)));
        Assert.True(work.Accept(Work(0, 2)));
    }

    [Fact]
    public void A_repeat_arriving_after_its_commit_is_not_computed_again_but_the_next_epochs_same_index_is()
    {
        var work = new AssignedWork();
        work.Accept(Work(0, 1));
        work.Committed(0, 1);

        Assert.False(work.Accept(Work(0, 1)));
        Assert.True(work.Accept(Work(1, 1)));
    }

    [Fact]
    public void Only_the_last_256_commits_are_remembered()
    {
        var work = new AssignedWork();
        for (var i = 0; i < 300; i++)
        {
            work.Accept(Work(0, i));
            work.Committed(0, i);
        }

        Assert.True(work.Accept(Work(0, 0)));
        Assert.False(work.Accept(Work(0, 299)));
    }
}
