using ActorTrain.Core.Consistency;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class ConsistencyModesTests
{
    [Theory]
    [InlineData(ConsistencyMode.Asp, "asp", "asp", false, PushKind.Gradient)]
    [InlineData(ConsistencyMode.Bsp, "bsp", "bsp", false, PushKind.Gradient)]
    [InlineData(ConsistencyMode.Ssp, "ssp", "ssp:3", false, PushKind.Gradient)]
    [InlineData(ConsistencyMode.LocalSgd, "local-sgd", "local-sgd:8", true, PushKind.LocalSgdPseudoGradient)]
    [InlineData(ConsistencyMode.DiLoCo, "diloco", "diloco:8", true, PushKind.DiLoCoPseudoGradient)]
    public void Each_mode_has_a_name_a_description_with_its_parameter_and_a_push_kind(
        ConsistencyMode mode, string name, string described, bool local, PushKind kind)
    {
        Assert.Equal(name, ConsistencyModes.NameOf(mode));
        Assert.Equal(mode, ConsistencyModes.ByName[name]);
        Assert.Equal(described, ConsistencyModes.Describe(mode, staleness: 3, innerSteps: 8));
        Assert.Equal(local, mode.IsLocal());
        Assert.Equal(kind, ConsistencyModes.PushKindOf(mode));
    }

    [Fact]
    public void Every_mode_has_exactly_one_name() =>
        Assert.Equal(Enum.GetValues<ConsistencyMode>().Order(), ConsistencyModes.ByName.Values.Order());
}
