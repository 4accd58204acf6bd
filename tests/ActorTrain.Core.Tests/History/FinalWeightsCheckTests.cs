using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using Xunit;
using static ActorTrain.Core.Tests.History.Verdicts;

namespace ActorTrain.Core.Tests.History;

public sealed class FinalWeightsCheckTests
{
    [Fact]
    public void Holds_when_the_final_weights_hash_equals_the_reference()
    {
        var verdict = Of(4, Bsp with { ReferenceWeightsHash = "9f2c" }, new FinalWeights("9f2c"));

        Assert.True(verdict.Holds);
        Assert.True(verdict.Checked);
        Assert.Equal("BSP weights equal the reference", verdict.Name);
        Assert.Equal("final weights 9f2c equal the reference", verdict.Detail);
    }

    [Fact]
    public void Fails_when_the_final_weights_differ_from_the_reference()
    {
        var verdict = Of(4, Bsp with { ReferenceWeightsHash = "9f2c" }, new FinalWeights("9f2d"));

        Assert.False(verdict.Holds);
        Assert.Equal("final weights 9f2d differ from the reference 9f2c", verdict.Detail);
    }

    [Fact]
    public void Fails_when_any_recorded_final_weights_differ()
    {
        var verdict = Of(4, Bsp with { ReferenceWeightsHash = "9f2c" }, new FinalWeights("9f2c"), new FinalWeights("0000"));

        Assert.False(verdict.Holds);
        Assert.Equal("final weights 0000 differ from the reference 9f2c", verdict.Detail);
    }

    [Fact]
    public void Fails_when_a_reference_is_given_but_no_final_weights_were_recorded()
    {
        var verdict = Of(4, Bsp with { ReferenceWeightsHash = "9f2c" }, new EpochCompleted(0));

        Assert.False(verdict.Holds);
        Assert.Equal("no final weights recorded", verdict.Detail);
    }

    [Fact]
    public void Is_not_checked_without_a_reference()
    {
        var verdict = Of(4, Bsp, new FinalWeights("9f2c"));

        Assert.True(verdict.Holds);
        Assert.False(verdict.Checked);
        Assert.Equal("no reference hash given", verdict.Detail);
    }

    [Fact]
    public void Is_not_checked_when_the_run_was_not_BSP_throughout()
    {
        var started = Of(4, Asp with { ReferenceWeightsHash = "9f2c" }, new FinalWeights("1111"));
        var switched = Of(4, Bsp with { ReferenceWeightsHash = "9f2c" }, new ModeChanged(ConsistencyMode.Ssp, 1, 3), new FinalWeights("1111"));

        Assert.False(started.Checked);
        Assert.Equal("the run was not BSP throughout", started.Detail);
        Assert.False(switched.Checked);
        Assert.Equal("the run was not BSP throughout", switched.Detail);
    }
}
