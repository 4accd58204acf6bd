namespace ActorTrain.Core.Classification;

/// <summary>
/// Per-class precision, recall and F1 and their unweighted mean (macro F1) from a confusion matrix, with
/// scikit-learn's <c>zero_division=0</c> convention: a ratio whose denominator is zero (a class never predicted,
/// never present, or with precision and recall both 0) counts as 0. Every class enters the macro mean.
/// </summary>
public sealed record ClassificationReport(IReadOnlyList<ClassMetrics> Classes, double MacroF1, double Accuracy)
{
    public static ClassificationReport From(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var classes = new ClassMetrics[matrix.Classes];
        long correct = 0;
        for (var c = 0; c < matrix.Classes; c++)
        {
            var truePositives = matrix[c, c];
            correct += truePositives;
            var support = matrix.Support(c);
            var precision = Ratio(truePositives, matrix.Predicted(c));
            var recall = Ratio(truePositives, support);
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            classes[c] = new ClassMetrics(c, support, precision, recall, f1);
        }
        var total = matrix.Total;
        return new ClassificationReport(classes, classes.Average(m => m.F1), Ratio(correct, total));
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
