using ActorTrain.Core.Parameters;
using Xunit;

namespace ActorTrain.Core.Tests.Parameters;

public sealed class FrozenRangesTests
{
    // conv1.weight [0, 8), conv1.bias [8, 10), fc1.weight [10, 22), fc1.bias [22, 25)
    private static readonly ParameterLayout Layout = new([("conv1.weight", [2, 4]), ("conv1.bias", [2]), ("fc1.weight", [3, 4]), ("fc1.bias", [3])]);

    [Fact]
    public void A_layer_name_freezes_its_tensors_and_an_exact_name_only_that_tensor()
    {
        var frozen = FrozenRanges.Of(Layout, ["conv1", "fc1.bias"]);

        Assert.Equal(["conv1.weight", "conv1.bias", "fc1.bias"], frozen.Tensors);
        Assert.Equal(new[] { (0, 10), (22, 3) }, frozen.Within(new ShardRange(0, 0, 25)).Select(r => (r.Start, r.Length)).ToArray());
    }

    [Fact]
    public void Each_shard_gets_its_part_of_the_frozen_ranges_relative_to_its_start()
    {
        var frozen = FrozenRanges.Of(Layout, ["conv1", "fc1.bias"]);

        Assert.Equal(new[] { (0, 6) }, frozen.Within(new ShardRange(0, 0, 6)).Select(r => (r.Start, r.Length)).ToArray());
        Assert.Equal(new[] { (0, 4), (16, 3) }, frozen.Within(new ShardRange(1, 6, 19)).Select(r => (r.Start, r.Length)).ToArray());
        Assert.Empty(frozen.Within(new ShardRange(2, 10, 12)));
    }

    [Fact]
    public void A_name_that_matches_no_tensor_is_refused_with_the_models_names()
    {
        var refused = Assert.Throws<ArgumentException>(() => FrozenRanges.Of(Layout, ["conv", "fc1"]));
        Assert.StartsWith("no parameter is named 'conv' (or starts with it and a dot); the model's are conv1.weight, conv1.bias, fc1.weight, fc1.bias", refused.Message);
        Assert.Empty(FrozenRanges.Of(Layout, []).Within(new ShardRange(0, 0, 25)));
    }
}
