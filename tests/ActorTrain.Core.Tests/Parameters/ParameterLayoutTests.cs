using ActorTrain.Core.Parameters;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Parameters;

public sealed class ParameterLayoutTests
{
    [Fact]
    public void Offsets_are_the_running_sum_of_shape_products_in_declaration_order()
    {
        var layout = new ParameterLayout(
        [
            ("fc1.weight", [256L, 784L]),
            ("fc1.bias", [256L]),
            ("fc2.weight", [10L, 256L]),
            ("fc2.bias", [10L]),
        ]);

        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], layout.Tensors.Select(t => t.Name));
        Assert.Equal([0, 200_704, 200_960, 203_520], layout.Tensors.Select(t => t.Offset));
        Assert.Equal([200_704, 256, 2_560, 10], layout.Tensors.Select(t => t.Length));
        Assert.Equal(203_530, layout.TotalLength);
        Assert.Equal([10L, 256L], layout.Tensors[2].Shape);
    }

    [Fact]
    public void Offsets_are_the_running_sum_of_shape_products_for_any_shapes()
    {
        var shapes = Gen.Int[0, 9].Array[0, 4].Array[0, 12];
        shapes.Sample(dims =>
        {
            var parameters = dims.Select((d, i) => ($"p{i}", d.Select(x => (long)x).ToArray())).ToArray();
            var layout = new ParameterLayout(parameters);

            Assert.Equal(parameters.Length, layout.Tensors.Count);
            var offset = 0;
            for (var i = 0; i < parameters.Length; i++)
            {
                var length = 1;
                foreach (var d in dims[i]) length *= d;
                var tensor = layout.Tensors[i];
                Assert.Equal(parameters[i].Item1, tensor.Name);
                Assert.Equal(parameters[i].Item2, tensor.Shape);
                Assert.Equal(offset, tensor.Offset);
                Assert.Equal(length, tensor.Length);
                offset += length;
            }
            Assert.Equal(offset, layout.TotalLength);
        }, iter: 300);
    }

    [Fact]
    public void A_scalar_has_one_element_and_a_zero_sized_dimension_none()
    {
        var layout = new ParameterLayout([("scale", []), ("empty", [3L, 0L]), ("bias", [2L])]);

        Assert.Equal([1, 0, 2], layout.Tensors.Select(t => t.Length));
        Assert.Equal([0, 1, 1], layout.Tensors.Select(t => t.Offset));
        Assert.Equal(3, layout.TotalLength);
    }

    [Fact]
    public void No_parameters_give_an_empty_layout()
    {
        var layout = new ParameterLayout([]);

        Assert.Empty(layout.Tensors);
        Assert.Equal(0, layout.TotalLength);
    }

    [Fact]
    public void A_model_of_exactly_int_MaxValue_elements_is_accepted() =>
        Assert.Equal(int.MaxValue, new ParameterLayout([("a", [int.MaxValue - 1L]), ("b", [1L])]).TotalLength);

    [Fact]
    public void A_model_above_int_MaxValue_elements_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new ParameterLayout([("a", [int.MaxValue - 1L]), ("b", [2L])]));
}
