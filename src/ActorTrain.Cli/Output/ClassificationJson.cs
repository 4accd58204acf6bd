using System.Text.Json.Nodes;
using ActorTrain.Core.Classification;

namespace ActorTrain.Cli.Output;

/// <summary>
/// A confusion matrix as metrics.jsonl and summary.json record it, under a prefix (<c>validation_</c>, <c>test_</c>):
/// <c>macro_f1</c>, <c>per_class</c> (class, support, precision, recall, f1) and <c>confusion_matrix</c> (rows labels, columns predictions).
/// </summary>
public static class ClassificationJson
{
    public static void AddTo(JsonObject record, string prefix, long[]? counts)
    {
        if (counts is null || counts.Length == 0) return;
        var matrix = ConfusionMatrix.FromCounts(counts);
        var report = ClassificationReport.From(matrix);
        record[prefix + "macro_f1"] = report.MacroF1;
        record[prefix + "per_class"] = new JsonArray([.. report.Classes.Select(c => (JsonNode)new JsonObject
        {
            ["class"] = c.Class, ["support"] = c.Support, ["precision"] = c.Precision, ["recall"] = c.Recall, ["f1"] = c.F1,
        })]);
        record[prefix + "confusion_matrix"] = new JsonArray([.. Enumerable.Range(0, matrix.Classes).Select(a =>
            (JsonNode)new JsonArray([.. Enumerable.Range(0, matrix.Classes).Select(p => (JsonNode)JsonValue.Create(matrix[a, p]))]))]);
    }

    /// <summary>The macro F1 of a matrix, for a console line; NaN when there is none.</summary>
    public static double MacroF1(long[]? counts) =>
        counts is null || counts.Length == 0 ? double.NaN : ClassificationReport.From(ConfusionMatrix.FromCounts(counts)).MacroF1;
}
