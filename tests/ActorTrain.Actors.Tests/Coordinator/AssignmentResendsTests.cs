using ActorTrain.Actors.Coordinator;
using ActorTrain.Core.Data;
using Xunit;

namespace ActorTrain.Actors.Tests.Coordinator;

/// <summary>A micro-batch held too long without a completion is told again, once per wait, and nothing else is.</summary>
public sealed class AssignmentResendsTests
{
    private static readonly DateTime T0 = new(2026, 12, 3, 7, 0, 0, DateTimeKind.Utc);
    private static readonly MicroBatchId A = new(0, 1);
    private static readonly MicroBatchId B = new(0, 2);

    [Fact]
    public void Only_what_was_told_longer_than_the_wait_ago_is_due_and_then_not_again_until_another_wait()
    {
        var resends = new AssignmentResends(TimeSpan.FromSeconds(15));
        resends.Told(A, T0);
        resends.Told(B, T0.AddSeconds(10));

        Assert.Empty(resends.Due([A, B], T0.AddSeconds(14)));
        Assert.Equal([A], resends.Due([A, B], T0.AddSeconds(15)));
        Assert.Empty(resends.Due([A], T0.AddSeconds(20)));
        Assert.Equal([A, B], resends.Due([A, B], T0.AddSeconds(30)));
    }

    [Fact]
    public void A_held_micro_batch_never_told_by_this_instance_is_due_at_once()
    {
        // After a coordinator recovery the journal says who holds what, but not when it was told.
        Assert.Equal([A], new AssignmentResends(TimeSpan.FromSeconds(15)).Due([A], T0));
    }
}
