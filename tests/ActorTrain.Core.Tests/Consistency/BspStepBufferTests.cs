using ActorTrain.Core.Consistency;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Consistency;

public sealed class BspStepBufferTests
{
    /// <summary>A step: per micro-batch a gradient sum and its sample count, plus sort keys for an arrival order.</summary>
    private static readonly Gen<(float[][] Gradients, int[] Samples, int[] ArrivalKeys)> Steps =
        Gen.Select(Gen.Int[1, 12], Gen.Int[0, 40]).SelectMany(shape =>
            Gen.Select(
                Gen.Float[-1000f, 1000f].Array[shape.Item2].Array[shape.Item1],
                Gen.Int[1, 64].Array[shape.Item1],
                Gen.Int.Array[shape.Item1]));

    [Fact]
    public void Mean_gradient_is_bitwise_identical_for_any_arrival_order() =>
        Steps.Sample((gradients, samples, arrivalKeys) =>
        {
            var inIndexOrder = Fill(gradients, samples, Enumerable.Range(0, gradients.Length));
            var arrivalOrder = Enumerable.Range(0, gradients.Length).OrderBy(i => arrivalKeys[i]).ThenBy(i => i);
            var inArrivalOrder = Fill(gradients, samples, arrivalOrder);

            Assert.Equal(Bits(inIndexOrder.MeanGradient()), Bits(inArrivalOrder.MeanGradient()));
        }, iter: 300);

    [Fact]
    public void Mean_gradient_equals_the_index_order_sum_divided_by_the_sample_count() =>
        Steps.Sample((gradients, samples, arrivalKeys) =>
        {
            var arrivalOrder = Enumerable.Range(0, gradients.Length).OrderBy(i => arrivalKeys[i]).ThenBy(i => i);
            var buffer = Fill(gradients, samples, arrivalOrder);

            Assert.Equal(Bits(PlainMean(gradients, samples)), Bits(buffer.MeanGradient()));
        }, iter: 300);

    [Fact]
    public void Mean_gradient_of_one_micro_batch_of_three_samples_is_its_sum_divided_by_three()
    {
        // 7 / 3 rounds to 0x4015_5555; 7 * (1f / 3) rounds to 0x4015_5556.
        var buffer = new BspStepBuffer(step: 0, microBatches: 1, length: 1);
        buffer.Add(0, [7f], samples: 3);

        Assert.Equal(BitConverter.SingleToInt32Bits(7f / 3f), BitConverter.SingleToInt32Bits(buffer.MeanGradient()[0]));
    }

    [Fact]
    public void Mean_gradient_sums_in_index_order_not_in_arrival_order()
    {
        // (1e8 + -1e8) + 1 = 1, whereas 1e8 + (-1e8 + 1) = 0 in float: the order of the sum is observable.
        var buffer = new BspStepBuffer(step: 4, microBatches: 3, length: 1);
        Assert.True(buffer.Add(2, [1f], samples: 1));
        Assert.True(buffer.Add(1, [-1e8f], samples: 1));
        Assert.True(buffer.Add(0, [1e8f], samples: 2));

        Assert.Equal(0.25f, buffer.MeanGradient()[0]);
    }

    [Fact]
    public void Adding_an_index_that_is_already_here_returns_false_and_changes_nothing()
    {
        var buffer = new BspStepBuffer(step: 0, microBatches: 2, length: 2);
        Assert.True(buffer.Add(0, [2f, 4f], samples: 2));

        Assert.False(buffer.Add(0, [100f, 100f], samples: 50));
        Assert.False(buffer.IsComplete);
        Assert.Throws<InvalidOperationException>(buffer.MeanGradient);

        Assert.True(buffer.Add(1, [6f, 8f], samples: 2));
        Assert.False(buffer.Add(1, [100f, 100f], samples: 50));
        Assert.True(buffer.IsComplete);
        Assert.Equal([2f, 3f], buffer.MeanGradient());
    }

    [Fact]
    public void Mean_gradient_before_every_micro_batch_has_arrived_throws()
    {
        var buffer = new BspStepBuffer(step: 9, microBatches: 3, length: 1);
        Assert.Throws<InvalidOperationException>(buffer.MeanGradient);
        buffer.Add(0, [1f], 1);
        buffer.Add(2, [1f], 1);

        Assert.False(buffer.IsComplete);
        var error = Assert.Throws<InvalidOperationException>(buffer.MeanGradient);
        Assert.Contains("step 9 has 2 of 3", error.Message);
    }

    [Fact]
    public void Mean_gradient_leaves_the_added_gradients_untouched_and_is_the_same_when_asked_twice()
    {
        float[] first = [1f, 2f], second = [3f, 4f];
        var buffer = new BspStepBuffer(step: 0, microBatches: 2, length: 2);
        buffer.Add(0, first, 1);
        buffer.Add(1, second, 1);

        var mean = buffer.MeanGradient();

        Assert.Equal([2f, 3f], mean);
        Assert.Equal([1f, 2f], first);
        Assert.Equal([3f, 4f], second);
        Assert.Equal(mean, buffer.MeanGradient());
        Assert.NotSame(mean, buffer.MeanGradient());
    }

    [Fact]
    public void Properties_describe_the_step()
    {
        var buffer = new BspStepBuffer(step: 12, microBatches: 4, length: 7);

        Assert.Equal(12, buffer.Step);
        Assert.Equal(4, buffer.MicroBatches);
        Assert.Equal(7, buffer.Length);
        Assert.False(buffer.IsComplete);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Add_rejects_an_index_outside_the_step(int index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BspStepBuffer(0, 3, 1).Add(index, [1f], 1));

    [Fact]
    public void Add_rejects_a_gradient_of_the_wrong_length() =>
        Assert.Throws<ArgumentException>(() => new BspStepBuffer(0, 3, 2).Add(0, [1f], 1));

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_step_without_micro_batches_is_rejected(int microBatches) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BspStepBuffer(0, microBatches, 1));

    private static BspStepBuffer Fill(float[][] gradients, int[] samples, IEnumerable<int> order)
    {
        var buffer = new BspStepBuffer(step: 3, gradients.Length, gradients[0].Length);
        foreach (var i in order)
        {
            Assert.False(buffer.IsComplete);
            Assert.True(buffer.Add(i, gradients[i], samples[i]));
        }
        Assert.True(buffer.IsComplete);
        return buffer;
    }

    /// <summary>The law written as a plain loop: Σ over micro-batches in index order, then ÷ the total sample count.</summary>
    private static float[] PlainMean(float[][] gradients, int[] samples)
    {
        var total = 0;
        foreach (var s in samples) total += s;
        var mean = new float[gradients[0].Length];
        for (var j = 0; j < mean.Length; j++)
        {
            var sum = gradients[0][j];
            for (var i = 1; i < gradients.Length; i++) sum += gradients[i][j];
            mean[j] = sum / total;
        }
        return mean;
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
