using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;
using Xunit;

namespace ActorTrain.Torch.Tests.Parameters;

public sealed class FlatModelTests
{
    private static readonly ModelSpec Mlp = new(ModelKind.Mlp, [1, 4, 4], 3, [5]);

    [Fact]
    public void Layout_is_the_named_parameters_in_declaration_order()
    {
        using var module = ModelFactory.Create(Mlp);
        var layout = new FlatModel(module).Layout;
        Assert.Equal(["fc1.weight", "fc1.bias", "out.weight", "out.bias"], layout.Tensors.Select(t => t.Name));
        Assert.Equal([0, 80, 85, 100], layout.Tensors.Select(t => t.Offset));
        Assert.Equal(16 * 5 + 5 + 5 * 3 + 3, layout.TotalLength);
    }

    [Fact]
    public void Weights_loaded_from_a_flat_vector_read_back_bit_for_bit()
    {
        using var module = ModelFactory.Create(Mlp);
        var flat = new FlatModel(module);
        var weights = Enumerable.Range(0, flat.Layout.TotalLength).Select(i => i * 0.37f - 11f).ToArray();
        flat.LoadWeights(weights);
        var back = new float[weights.Length];
        flat.ReadWeights(back);
        Assert.Equal(weights, back);
        // The first weight of fc1 is element [0,0] of its [5,16] matrix, and out.bias ends the vector.
        var state = module.state_dict();
        Assert.Equal(weights[0], state["fc1.weight"][0, 0].item<float>());
        Assert.Equal(weights[^1], state["out.bias"][2].item<float>());
    }

    [Fact]
    public void A_vector_of_the_wrong_length_is_refused()
    {
        using var module = ModelFactory.Create(Mlp);
        var flat = new FlatModel(module);
        Assert.Throws<ArgumentException>(() => flat.LoadWeights(new float[flat.Layout.TotalLength - 1]));
    }

    [Fact]
    public void Initial_weights_depend_on_the_seed_only_and_stay_within_the_fan_in_bound()
    {
        using var module = ModelFactory.Create(Mlp);
        var layout = new FlatModel(module).Layout;
        var a = ModelInitializer.InitialWeights(layout, 3);
        Assert.Equal(a, ModelInitializer.InitialWeights(layout, 3));
        Assert.NotEqual(a, ModelInitializer.InitialWeights(layout, 4));
        Assert.All(a.AsSpan(0, 85).ToArray(), w => Assert.InRange(w, -0.25f, 0.25f));   // fc1: fan-in 16
        Assert.All(a.AsSpan(85).ToArray(), w => Assert.InRange(w, -1 / MathF.Sqrt(5), 1 / MathF.Sqrt(5)));
    }
}
