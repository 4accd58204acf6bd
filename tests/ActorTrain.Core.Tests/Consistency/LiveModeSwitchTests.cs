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
    [InlineData(ConsistencyMode.Asp, "bsp")]
    [InlineData(ConsistencyMode.DiLoCo, "bsp")]
    [InlineData(ConsistencyMode.Bsp, "asp")]
    [InlineData(ConsistencyMode.Bsp, "local-sgd")]
    public void Switches_among_all_modes_are_accepted(ConsistencyMode current, string requested) =>
        Assert.Null(LiveModeSwitch.Refusal(current, requested, staleness: 2, innerSteps: 4));

    [Theory]
    [InlineData(ConsistencyMode.Bsp, "bsp", 0, 0, null, "the job runs BSP already")]
    [InlineData(ConsistencyMode.Asp, "hogwild", 0, 0, null, "unknown mode 'hogwild': expected asp, bsp, ssp:s, local-sgd:H or diloco:H")]
    [InlineData(ConsistencyMode.Asp, "ssp", -1, 0, null, "an SSP bound of -1 clocks is negative")]
    [InlineData(ConsistencyMode.Asp, "diloco", 0, -8, null, "a round of -8 micro-batches is negative (0 keeps the current H)")]
    [InlineData(ConsistencyMode.Asp, "asp", 0, 0, "bsp", "a switch to bsp is still waiting for its step boundary; ask again once it is in force")]
    public void Other_switches_are_refused_with_a_reason(ConsistencyMode current, string requested, int staleness, int innerSteps, string? pending,
        string reason) =>
        Assert.Equal(reason, LiveModeSwitch.Refusal(current, requested, staleness, innerSteps, pending));

    [Theory]
    [InlineData(ConsistencyMode.Asp, ConsistencyMode.Bsp, true)]
    [InlineData(ConsistencyMode.Bsp, ConsistencyMode.Ssp, true)]
    [InlineData(ConsistencyMode.Asp, ConsistencyMode.DiLoCo, false)]
    [InlineData(ConsistencyMode.LocalSgd, ConsistencyMode.Ssp, false)]
    public void Only_switches_to_or_from_bsp_wait_for_a_step_boundary(ConsistencyMode from, ConsistencyMode to, bool waits) =>
        Assert.Equal(waits, LiveModeSwitch.WaitsForStepBoundary(from, to));
}
