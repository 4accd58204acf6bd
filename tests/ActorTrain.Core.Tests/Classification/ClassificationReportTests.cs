using ActorTrain.Core.Classification;
using Xunit;

namespace ActorTrain.Core.Tests.Classification;

/// <summary>Per-class metrics against figures worked out by hand (the same as scikit-learn's with zero_division=0).</summary>
public sealed class ClassificationReportTests
{
    // Rows are labels, columns predictions:   label 0: 5 right, 1 taken for class 1;
    // label 1: 2 taken for class 0, 3 right, 1 taken for class 2; class 2 never occurs but is predicted once.
    private static ConfusionMatrix Matrix()
    {
        var m = new ConfusionMatrix(3);
        (int Actual, int Predicted, long Count)[] pairs = [(0, 0, 5), (0, 1, 1), (1, 0, 2), (1, 1, 3), (1, 2, 1)];
        foreach (var (a, p, n) in pairs) m.Add(a, p, n);
        return m;
    }

    [Fact]
    public void Precision_recall_and_f1_per_class_are_the_hand_computed_ones()
    {
        var report = ClassificationReport.From(Matrix());
        // class 0: 5 of 7 predictions right, 5 of 6 labels found; F1 = 2·(5/7)(5/6)/((5/7)+(5/6)) = 10/13.
        AssertClass(report.Classes[0], 0, 6, 5.0 / 7, 5.0 / 6, 10.0 / 13);
        // class 1: 3 of 4, 3 of 6; F1 = 2·(3/4)(1/2)/(5/4) = 3/5.
        AssertClass(report.Classes[1], 1, 6, 3.0 / 4, 1.0 / 2, 3.0 / 5);
        // class 2: its one prediction is wrong and it has no samples: every ratio counts as 0.
        AssertClass(report.Classes[2], 2, 0, 0, 0, 0);
    }

    [Fact]
    public void Macro_f1_is_the_unweighted_mean_over_every_class_and_accuracy_the_diagonal_share()
    {
        var report = ClassificationReport.From(Matrix());
        Assert.Equal(89.0 / 195, report.MacroF1, 12); // (10/13 + 3/5 + 0) / 3
        Assert.Equal(8.0 / 12, report.Accuracy, 12);
    }

    [Fact]
    public void Rows_are_labels_and_columns_predictions_and_counts_round_trip()
    {
        var m = Matrix();
        Assert.Equal(2, m[1, 0]);
        Assert.Equal(0, m[0, 2]);
        Assert.Equal(7, m.Predicted(0));
        Assert.Equal(12, m.Total);
        var back = ConfusionMatrix.FromCounts(m.ToCounts());
        Assert.Equal([5L, 1, 0, 2, 3, 1, 0, 0, 0], back.ToCounts());
    }

    [Fact]
    public void Counts_that_are_not_a_square_or_negative_are_refused()
    {
        Assert.Contains("not a positive square", Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts([1, 2, 3])).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromCounts([1, -2, 3, 4])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix(2).Add(2, 0));
    }

    [Fact]
    public void A_perfect_classifier_scores_one_everywhere()
    {
        var m = new ConfusionMatrix(2);
        m.Add(0, 0, 4);
        m.Add(1, 1, 3);
        var report = ClassificationReport.From(m);
        Assert.All(report.Classes, c => Assert.Equal((1.0, 1.0, 1.0), (c.Precision, c.Recall, c.F1)));
        Assert.Equal(1.0, report.MacroF1);
    }

    private static void AssertClass(ClassMetrics m, int cls, long support, double precision, double recall, double f1)
    {
        Assert.Equal(cls, m.Class);
        Assert.Equal(support, m.Support);
        Assert.Equal(precision, m.Precision, 12);
        Assert.Equal(recall, m.Recall, 12);
        Assert.Equal(f1, m.F1, 12);
    }
}
