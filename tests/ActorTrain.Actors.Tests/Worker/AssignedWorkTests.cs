using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Worker;
using Xunit;

namespace ActorTrain.Actors.Tests.Worker;

/// <summary>A worker takes each assignment once while it holds it, and again after its commit (a coordinator that lost the commit).</summary>
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
    public void An_assignment_repeated_after_its_commit_is_taken_the_new_coordinator_needs_its_completion()
    {
        var work = new AssignedWork();
        work.Accept(Work(0, 1));
        work.Committed(0, 1);

        Assert.True(work.Accept(Work(0, 1)));
    }
}
