using ActorTrain.Core.Fencing;
using Xunit;

namespace ActorTrain.Core.Tests.Fencing;

public sealed class PauseFenceTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void The_first_message_is_never_a_pause()
    {
        var fence = new PauseFence(S(5));
        Assert.Null(fence.PauseBefore(S(100)));
    }

    [Fact]
    public void A_gap_up_to_the_limit_is_not_a_pause_and_one_past_it_is_with_its_length()
    {
        var fence = new PauseFence(S(5));
        fence.Handled(S(10));
        Assert.Null(fence.PauseBefore(S(15)));
        Assert.Equal(S(5.5), fence.PauseBefore(S(15.5)));
    }

    [Fact]
    public void The_gap_counts_from_the_end_of_the_last_message_so_a_long_handler_is_not_a_pause()
    {
        var fence = new PauseFence(S(5));
        fence.Handled(S(1));
        Assert.Null(fence.PauseBefore(S(2)));
        fence.Handled(S(9)); // that message took 7 s to handle
        Assert.Null(fence.PauseBefore(S(10)));
    }
}
