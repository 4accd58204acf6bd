using ActorTrain.Core.Data;
using CsCheck;
using Xunit;

namespace ActorTrain.Core.Tests.Data;

public sealed class BatchPlanTests
{
    /// <summary>Train count, micro-batch size, micro-batches per step, epochs, seed.</summary>
    private static readonly Gen<(int Train, int Size, int PerStep, int Epochs, ulong Seed)> Plans =
        Gen.Select(Gen.Int[1, 300], Gen.Int[1, 40], Gen.Int[1, 6], Gen.Int[1, 3], Gen.ULong);

    [Fact]
    public void Micro_batches_of_an_epoch_hold_every_training_sample_exactly_once() =>
        Plans.Sample((train, size, perStep, epochs, seed) =>
        {
            var plan = new BatchPlan(train, size, perStep, epochs, seed);
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                var samples = Enumerable.Range(0, plan.MicroBatchesPerEpoch)
                    .SelectMany(i => plan.SamplesOf(new MicroBatchId(epoch, i)));
                Assert.Equal(Enumerable.Range(0, train), samples.Order());
            }
        }, iter: 300);

    [Fact]
    public void Micro_batches_are_full_except_a_smaller_last_one_when_the_size_does_not_divide() =>
        Plans.Sample((train, size, perStep, epochs, seed) =>
        {
            var plan = new BatchPlan(train, size, perStep, epochs, seed);

            Assert.Equal((train + size - 1) / size, plan.MicroBatchesPerEpoch);
            Assert.Equal((long)plan.MicroBatchesPerEpoch * epochs, plan.TotalMicroBatches);
            var last = plan.MicroBatchesPerEpoch - 1;
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                for (var i = 0; i < last; i++) Assert.Equal(size, plan.SamplesOf(new MicroBatchId(epoch, i)).Length);
                Assert.Equal(train % size == 0 ? size : train % size, plan.SamplesOf(new MicroBatchId(epoch, last)).Length);
            }
        }, iter: 300);

    [Fact]
    public void Steps_are_runs_of_consecutive_micro_batches_whose_counts_agree_with_MicroBatchesInStep() =>
        Plans.Sample((train, size, perStep, epochs, seed) =>
        {
            var plan = new BatchPlan(train, size, perStep, epochs, seed);

            Assert.Equal((plan.MicroBatchesPerEpoch + perStep - 1) / perStep, plan.StepsPerEpoch);
            Assert.Equal((long)plan.StepsPerEpoch * epochs, plan.TotalSteps);
            var expectedStep = 0L;
            for (var epoch = 0; epoch < epochs; epoch++)
            {
                var inEpoch = 0;
                for (var s = 0; s < plan.StepsPerEpoch; s++, expectedStep++)
                {
                    var count = plan.MicroBatchesInStep(expectedStep);
                    Assert.InRange(count, 1, perStep);
                    if (s < plan.StepsPerEpoch - 1) Assert.Equal(perStep, count);
                    for (var k = 0; k < count; k++)
                    {
                        var id = new MicroBatchId(epoch, inEpoch + k);
                        Assert.Equal(expectedStep, plan.StepOf(id));
                        var assignment = plan.AssignmentOf(id);
                        Assert.Equal(id, assignment.MicroBatch);
                        Assert.Equal(expectedStep, assignment.Step);
                        Assert.Equal(k, assignment.IndexInStep);
                        Assert.Equal(count, assignment.MicroBatchesInStep);
                        Assert.Equal(plan.SamplesOf(id), assignment.SampleIndices);
                    }
                    inEpoch += count;
                }
                Assert.Equal(plan.MicroBatchesPerEpoch, inEpoch);
            }
            Assert.Equal(plan.TotalSteps, expectedStep);
        }, iter: 300);

    [Fact]
    public void Samples_depend_only_on_seed_epoch_and_index_not_on_query_order_step_size_or_epoch_count()
    {
        var gen = Gen.Select(Plans, Gen.Int[1, 6], Gen.Int[1, 3], Gen.Int.Array[0, 40]);
        gen.Sample((p, otherPerStep, otherEpochs, queryKeys) =>
        {
            var (train, size, perStep, epochs, seed) = p;
            var reference = new BatchPlan(train, size, perStep, epochs, seed);
            var other = new BatchPlan(train, size, otherPerStep, otherEpochs, seed);

            // Query the other plan in a scrambled order across epochs, so its per-epoch cache is switched often.
            var ids = Enumerable.Range(0, Math.Min(epochs, otherEpochs))
                .SelectMany(e => Enumerable.Range(0, reference.MicroBatchesPerEpoch).Select(i => new MicroBatchId(e, i)))
                .Select((id, n) => (id, key: queryKeys.Length == 0 ? n : queryKeys[n % queryKeys.Length] ^ n))
                .OrderBy(x => x.key).ThenBy(x => x.id)
                .Select(x => x.id);
            foreach (var id in ids) Assert.Equal(reference.SamplesOf(id), other.SamplesOf(id));
        }, iter: 200);
    }

    [Fact]
    public void The_same_seed_gives_the_same_samples_in_a_new_plan()
    {
        var first = new BatchPlan(1000, 32, 4, 3, seed: 17);
        var second = new BatchPlan(1000, 32, 4, 3, seed: 17);

        for (var epoch = 2; epoch >= 0; epoch--)
            for (var i = 0; i < first.MicroBatchesPerEpoch; i++)
                Assert.Equal(first.SamplesOf(new MicroBatchId(epoch, i)), second.SamplesOf(new MicroBatchId(epoch, i)));
    }

    [Fact]
    public void Another_seed_or_another_epoch_gives_another_order()
    {
        var plan = new BatchPlan(1000, 1000, 1, 2, seed: 17);
        var otherSeed = new BatchPlan(1000, 1000, 1, 2, seed: 18);

        var epoch0 = plan.SamplesOf(new MicroBatchId(0, 0));
        Assert.NotEqual(epoch0, plan.SamplesOf(new MicroBatchId(1, 0)));
        Assert.NotEqual(epoch0, otherSeed.SamplesOf(new MicroBatchId(0, 0)));
        Assert.NotEqual(Enumerable.Range(0, 1000), epoch0);
    }

    [Fact]
    public void Samples_are_a_shuffle_not_the_identity_order() =>
        Assert.NotEqual(Enumerable.Range(0, 500), new BatchPlan(500, 500, 1, 1, seed: 0).SamplesOf(new MicroBatchId(0, 0)));

    [Fact]
    public void A_returned_sample_array_is_a_copy_the_caller_may_change()
    {
        var plan = new BatchPlan(10, 5, 1, 1, seed: 3);
        var samples = plan.SamplesOf(new MicroBatchId(0, 0));
        var expected = (int[])samples.Clone();

        Array.Fill(samples, -1);

        Assert.Equal(expected, plan.SamplesOf(new MicroBatchId(0, 0)));
    }

    [Fact]
    public void Geometry_of_a_plan_that_does_not_divide_evenly()
    {
        var plan = new BatchPlan(trainCount: 10, microBatchSize: 3, microBatchesPerStep: 3, epochs: 2, seed: 1);

        Assert.Equal(4, plan.MicroBatchesPerEpoch);
        Assert.Equal(2, plan.StepsPerEpoch);
        Assert.Equal(4, plan.TotalSteps);
        Assert.Equal(8, plan.TotalMicroBatches);
        Assert.Equal([3, 1, 3, 1], new long[] { 0, 1, 2, 3 }.Select(plan.MicroBatchesInStep));
        Assert.Equal([0L, 0L, 0L, 1L, 2L, 2L, 2L, 3L],
            new[] { 0, 1 }.SelectMany(e => Enumerable.Range(0, 4).Select(i => plan.StepOf(new MicroBatchId(e, i)))));
        Assert.Single(plan.SamplesOf(new MicroBatchId(1, 3)));
        Assert.Equal(Enumerable.Range(0, 8).Select(p => (long)p),
            new[] { 0, 1 }.SelectMany(e => Enumerable.Range(0, 4).Select(i => plan.PositionOf(new MicroBatchId(e, i)))));
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(2, 0)]
    [InlineData(0, -1)]
    [InlineData(0, 4)]
    public void SamplesOf_rejects_a_micro_batch_outside_the_plan(int epoch, int index) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPlan(10, 3, 3, 2, 1).SamplesOf(new MicroBatchId(epoch, index)));

    [Theory]
    [InlineData(0, 1, 1, 1)]
    [InlineData(1, 0, 1, 1)]
    [InlineData(1, 1, 0, 1)]
    [InlineData(1, 1, 1, 0)]
    [InlineData(-1, 1, 1, 1)]
    public void A_plan_needs_positive_counts(int train, int size, int perStep, int epochs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchPlan(train, size, perStep, epochs, 0));
}
