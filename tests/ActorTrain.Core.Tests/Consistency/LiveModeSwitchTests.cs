using ActorTrain.Core.Consistency;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class LiveModeSwitchTests
{
    [Theory]
    [InlineData(ConsistencyMode.Asp, "local-sgd")]
    [InlineData(ConsistencyMode.Asp, "diloco")]
    [InlineData(ConsistencyMode.LocalSgd, "asp")]
    [InlineData(ConsistencyMode.LocalSgd, "ssp")]
    [InlineData(ConsistencyMode.DiLoCo, "local-sgd")]
    [InlineData(ConsistencyMode.Ssp, "diloco")]
    public void Switches_among_the_apply_on_arrival_modes_are_accepted(ConsistencyMode started, string requested) =>
        Assert.Null(LiveModeSwitch.Refusal(started, requested, staleness: 2, innerSteps: 4));

    [Theory]
    [InlineData(ConsistencyMode.Bsp, "asp", 0, 0, "this job runs BSP, whose steps are counted from the start: it cannot switch while it runs")]
    [InlineData(ConsistencyMode.DiLoCo, "bsp", 0, 0,
        "BSP is chosen when a job starts (its steps are counted from the start); live switches are among asp, ssp:s, local-sgd:H or diloco:H")]
    [InlineData(ConsistencyMode.Asp, "hogwild", 0, 0, "unknown mode 'hogwild': expected asp, ssp:s, local-sgd:H or diloco:H")]
    [InlineData(ConsistencyMode.Asp, "ssp", -1, 0, "an SSP bound of -1 clocks is negative")]
    [InlineData(ConsistencyMode.Asp, "diloco", 0, -8, "a round of -8 micro-batches is negative (0 keeps the current H)")]
    public void Other_switches_are_refused_with_a_reason(ConsistencyMode started, string requested, int staleness, int innerSteps, string reason) =>
        Assert.Equal(reason, LiveModeSwitch.Refusal(started, requested, staleness, innerSteps));
}
