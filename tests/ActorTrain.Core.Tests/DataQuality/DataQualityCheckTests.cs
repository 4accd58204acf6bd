using ActorTrain.Core.DataQuality;
using Xunit;

namespace ActorTrain.Core.Tests.DataQuality;

/// <summary>The data check on records small enough to count by hand.</summary>
public sealed class DataQualityCheckTests
{
    // Two-byte records. train: A A B A C (A three times: one group, two extra copies; the third A has another label),
    // label 7 is outside 0..2. validation: B D. test: D D E.
    private static readonly SplitRecords Train = Split("train", [0, 0, 1, 1, 7], "AA", "AA", "BB", "AA", "CC");
    private static readonly SplitRecords Validation = Split("validation", [1, 2], "BB", "DD");
    private static readonly SplitRecords Test = Split("test", [2, 2, 0], "DD", "DD", "EE") with { OutOfRangeValueRows = [2] };

    private static SplitRecords Split(string name, int[] labels, params string[] records) =>
        new(name, 3, labels, records.SelectMany(r => r.Select(c => (byte)c)).ToArray(), 2, []);

    [Fact]
    public void Labels_are_counted_per_class_and_out_of_range_labels_and_values_apart()
    {
        var report = DataQualityCheck.Run([Train, Validation, Test]);
        Assert.Equal([2L, 2, 0], report.Splits[0].LabelCounts);
        Assert.Equal(1, report.Splits[0].OutOfRangeLabels);
        Assert.Equal([0L, 1, 1], report.Splits[1].LabelCounts);
        Assert.Equal([1L, 0, 2], report.Splits[2].LabelCounts);
        Assert.Equal(1, report.Splits[2].OutOfRangeValues);
        Assert.Equal(2, report.InvalidRecords);
    }

    [Fact]
    public void Duplicates_within_a_split_are_counted_by_group_and_by_extra_copy_with_label_conflicts()
    {
        var report = DataQualityCheck.Run([Train, Validation, Test]);
        Assert.Equal((1, 2, 1), (report.Splits[0].DuplicateGroups, report.Splits[0].DuplicateCopies, report.Splits[0].ConflictingGroups));
        Assert.Equal((0, 0, 0), (report.Splits[1].DuplicateGroups, report.Splits[1].DuplicateCopies, report.Splits[1].ConflictingGroups));
        Assert.Equal((1, 1, 0), (report.Splits[2].DuplicateGroups, report.Splits[2].DuplicateCopies, report.Splits[2].ConflictingGroups));
    }

    [Fact]
    public void Images_shared_by_two_splits_are_counted_once_per_pair_with_their_label_disagreements()
    {
        var report = DataQualityCheck.Run([Train, Validation, Test]);
        Assert.Equal(
        [
            new CrossSplitOverlap("train", "validation", 1, 0), // BB, label 1 in both
            new CrossSplitOverlap("train", "test", 0, 0),
            new CrossSplitOverlap("validation", "test", 1, 0), // DD, label 2 everywhere
        ], report.Overlaps);
        var relabelled = DataQualityCheck.Run([Train, Validation with { Labels = [0, 2] }]);
        Assert.Equal(new CrossSplitOverlap("train", "validation", 1, 1), Assert.Single(relabelled.Overlaps));
    }

    [Fact]
    public void Records_that_differ_in_one_byte_are_not_duplicates()
    {
        var report = DataQualityCheck.Run([Split("only", [0, 0, 0], "AB", "BA", "AC")]);
        Assert.Equal(0, report.Splits[0].DuplicateGroups);
    }
}
