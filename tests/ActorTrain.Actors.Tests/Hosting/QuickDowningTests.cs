using ActorTrain.Actors.Hosting;
using Xunit;
using Seen = ActorTrain.Actors.Hosting.QuickDowning.Seen;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>QuickDowning's decision: which unreachable members the head downs before the split-brain resolver would.</summary>
public sealed class QuickDowningTests
{
    private static readonly Seen Worker = new(Coordinator: false, Active: true, Unreachable: false);
    private static readonly Seen DeadWorker = Worker with { Unreachable = true };
    private static readonly Seen Standby = new(Coordinator: true, Active: true, Unreachable: false);

    [Fact]
    public void Two_unreachable_workers_are_downed_while_the_head_reaches_a_third()
    {
        Assert.Equal([0, 2], QuickDowning.ToDown([DeadWorker, Worker, DeadWorker]));
    }

    [Fact]
    public void One_unreachable_worker_is_left_to_the_resolver()
    {
        // No cycle of unreachability can form with one: the resolver's stable-after gives it time to come back.
        Assert.Empty(QuickDowning.ToDown([DeadWorker, Worker, Worker]));
    }

    [Fact]
    public void A_head_that_reaches_no_active_member_downs_nobody()
    {
        // Isolated, or every worker dead: from here the two look alike, and an isolated head must not down the side that goes on.
        Assert.Empty(QuickDowning.ToDown([DeadWorker, DeadWorker]));
        Assert.Empty(QuickDowning.ToDown([DeadWorker, DeadWorker, Worker with { Active = false }]));
        Assert.Equal([0, 1], QuickDowning.ToDown([DeadWorker, DeadWorker, Standby]));
    }

    [Fact]
    public void Coordinator_role_members_and_members_already_down_are_never_counted_or_downed()
    {
        Assert.Empty(QuickDowning.ToDown([DeadWorker, Standby with { Unreachable = true }, Worker]));
        Assert.Empty(QuickDowning.ToDown([DeadWorker, DeadWorker with { Active = false }, Worker]));
    }
}
