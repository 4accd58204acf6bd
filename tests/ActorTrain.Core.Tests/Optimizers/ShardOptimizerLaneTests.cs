using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Optimizers;
using Xunit;

namespace ActorTrain.Core.Tests.Optimizers;

/// <summary>
/// The shard optimizer's vector loops round as its scalar loop does: each element of a long range steps bit for bit as
/// the same element alone (a range of one never reaches the vector loop).
/// </summary>
public sealed class ShardOptimizerLaneTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd, false)]
    [InlineData(OptimizerKind.Sgd, true)]
    [InlineData(OptimizerKind.Adam, false)]
    [InlineData(OptimizerKind.AdamW, false)]
    public void Every_element_of_a_long_range_steps_bit_for_bit_as_it_would_alone(OptimizerKind kind, bool nesterov)
    {
        var spec = new OptimizerSpec(kind, 0.01, 0.9, 0.01, 0.9, 0.999, nesterov);
        var initial = Enumerable.Range(0, 37).Select(i => (i % 7 - 3) * 0.37f + 0.01f).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(s => Enumerable.Range(0, 37).Select(i => ((i * 13 + s * 5) % 11 - 5) * 0.21f).ToArray()).ToArray();

        var whole = new ShardOptimizer(initial, spec);
        foreach (var g in gradients) whole.Apply(g);

        for (var i = 0; i < initial.Length; i++)
        {
            var alone = new ShardOptimizer([initial[i]], spec);
            foreach (var g in gradients) alone.Apply([g[i]]);
            Assert.Equal(BitConverter.SingleToInt32Bits(alone.CurrentWeights[0]), BitConverter.SingleToInt32Bits(whole.CurrentWeights[i]));
        }
    }
}
