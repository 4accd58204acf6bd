using ActorTrain.Torch.Data;
using Xunit;

namespace ActorTrain.Torch.Tests.Data;

public sealed class LabeledSamplesTests
{
    // Row r holds features r*10, r*10+1, r*10+2 and label r % 4.
    private static LabeledSamples FiveRows() => new(
        "five",
        Enumerable.Range(0, 5).SelectMany(r => new float[] { r * 10, r * 10 + 1, r * 10 + 2 }).ToArray(),
        [0, 1, 2, 3, 0],
        featureCount: 3,
        classCount: 4,
        shape: [3]);

    [Fact]
    public void CopyRows_gathers_the_requested_rows_in_order()
    {
        var samples = FiveRows();
        var features = new float[9];
        var labels = new long[3];

        samples.CopyRows([4, 1, 1], features, labels);

        Assert.Equal(new float[] { 40, 41, 42, 10, 11, 12, 10, 11, 12 }, features);
        Assert.Equal(new long[] { 0, 1, 1 }, labels);
    }

    [Fact]
    public void CopyRows_into_a_longer_buffer_leaves_the_rest_untouched()
    {
        var samples = FiveRows();
        var features = Enumerable.Repeat(-1f, 7).ToArray();
        var labels = new long[] { -1, -1, -1 };

        samples.CopyRows([3, 2], features, labels);

        Assert.Equal(new float[] { 30, 31, 32, 20, 21, 22, -1 }, features);
        Assert.Equal(new long[] { 3, 2, -1 }, labels);
    }

    [Fact]
    public void CopyRows_allocates_nothing()
    {
        var samples = FiveRows();
        var features = new float[6];
        var labels = new long[2];
        int[] rows = [0, 3];
        samples.CopyRows(rows, features, labels);

        var before = GC.GetAllocatedBytesForCurrentThread();
        samples.CopyRows(rows, features, labels);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void CopyRows_rejects_a_short_buffer_and_an_unknown_row()
    {
        var samples = FiveRows();

        var shortBuffer = Assert.Throws<ArgumentException>(() => samples.CopyRows([0, 1], new float[5], new long[2]));
        var badRow = Assert.Throws<ArgumentOutOfRangeException>(() => samples.CopyRows([5], new float[3], new long[1]));

        Assert.StartsWith("five: 2 rows need 6 feature slots, the buffer has 5.", shortBuffer.Message);
        Assert.StartsWith("five: row 5 is outside 0..4.", badRow.Message);
    }

    [Fact]
    public void Subset_copies_the_rows_and_keeps_the_shape()
    {
        var samples = FiveRows();

        var subset = samples.Subset("two", [2, 0]);
        samples.Features[0] = 99;

        Assert.Equal("two", subset.Name);
        Assert.Equal(2, subset.Count);
        Assert.Equal(new float[] { 20, 21, 22, 0, 1, 2 }, subset.Features);
        Assert.Equal(new byte[] { 2, 0 }, subset.Labels);
        Assert.Equal((3, 4), (subset.FeatureCount, subset.ClassCount));
        Assert.Equal([3], subset.SampleShape);
    }

    [Fact]
    public void The_constructor_rejects_inconsistent_arrays()
    {
        var wrongLength = Assert.Throws<ArgumentException>(() => new LabeledSamples("s", new float[5], [0, 1], 3, 2, [3]));
        var badLabel = Assert.Throws<ArgumentException>(() => new LabeledSamples("s", new float[6], [0, 2], 3, 2, [3]));
        var badShape = Assert.Throws<ArgumentException>(() => new LabeledSamples("s", new float[8], [0, 1], 4, 2, [1, 3]));

        Assert.StartsWith("s: 2 labels need 6 feature values (3 each), got 5.", wrongLength.Message);
        Assert.StartsWith("s: label 2 of row 1 is outside 0..1.", badLabel.Message);
        Assert.StartsWith("s: the sample shape [1,3] does not hold 4 features.", badShape.Message);
    }
}
