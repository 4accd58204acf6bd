using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Optimizers;
using ActorTrain.Core.Randomness;
using Xunit;

namespace ActorTrain.Core.Tests.Optimizers;

/// <summary>The snapshot law: export after k steps, restore, step on — bitwise the same as never stopping.</summary>
public sealed class OptimizerStateTests
{
    public static TheoryData<OptimizerKind, double, bool> Specs() => new()
    {
        { OptimizerKind.Sgd, 0, false },
        { OptimizerKind.Sgd, 0.9, false },
        { OptimizerKind.Sgd, 0.9, true },
        { OptimizerKind.Adam, 0, false },
        { OptimizerKind.AdamW, 0, false },
    };

    private static float[] Vector(SplitMix64 random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1)];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Restoring_an_exported_state_and_stepping_on_equals_never_stopping(OptimizerKind kind, double momentum, bool nesterov)
    {
        var spec = new OptimizerSpec(kind, 0.01, momentum, WeightDecay: 0.01, Beta1: 0.9, Beta2: 0.999, nesterov);
        var random = new SplitMix64(7);
        var gradients = Enumerable.Range(0, 10).Select(_ => Vector(random, 37)).ToArray();
        var straight = new ShardOptimizer(Vector(new SplitMix64(1), 37), spec);
        var first = new ShardOptimizer(Vector(new SplitMix64(1), 37), spec);

        foreach (var g in gradients) straight.Apply(g);
        foreach (var g in gradients[..4]) first.Apply(g);
        var state = first.Export();
        first.Apply(gradients[4]); // stepping on after the export must not change what was exported
        var restored = ShardOptimizer.Restore(state, spec);
        foreach (var g in gradients[4..]) restored.Apply(g);

        Assert.Equal(straight.Steps, restored.Steps);
        Assert.Equal(straight.Weights().Select(BitConverter.SingleToInt32Bits), restored.Weights().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_state_from_another_kind_of_optimizer_is_refused()
    {
        var adam = new ShardOptimizer(new float[4], new OptimizerSpec(OptimizerKind.Adam, 0.01, 0, 0, 0.9, 0.999, false));
        var plainSgd = new OptimizerSpec(OptimizerKind.Sgd, 0.01, 0, 0, 0.9, 0.999, false);

        var error = Assert.Throws<ArgumentException>(() => ShardOptimizer.Restore(adam.Export(), plainSgd));
        Assert.Contains("do not match a Sgd optimizer", error.Message);
    }
}
