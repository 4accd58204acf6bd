using System.Text.Json.Nodes;
using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Cli.Report;

/// <summary>
/// A learning-rate change as a metrics.jsonl record may state it. The record kind is newer than this report, so its shape
/// is read loosely: a type naming a learning rate ("learning-rate", "lr", …), the update it takes effect at, and either
/// the new rate or the factor applied.
/// </summary>
public static class RateRecord
{
    private static readonly string[] UpdateKeys = ["at_update", "from_update", "updates", "update"];
    private static readonly string[] RateKeys = ["learning_rate", "new_learning_rate", "rate", "lr", "to", "value"];
    private static readonly string[] FactorKeys = ["factor", "scale"];

    public static bool IsRateRecord(string type) =>
        type.Contains("learning-rate", StringComparison.OrdinalIgnoreCase) || type.Contains("learning_rate", StringComparison.OrdinalIgnoreCase)
        || type.Equals("lr", StringComparison.OrdinalIgnoreCase) || type.StartsWith("lr-", StringComparison.OrdinalIgnoreCase)
        || type.StartsWith("lr_", StringComparison.OrdinalIgnoreCase);

    /// <summary>The change the record states; null when it names neither a rate nor a factor.</summary>
    public static RateChange? Read(JsonObject record)
    {
        var at = First(record, UpdateKeys) is { } u ? (long)u : 0;
        var reason = record["reason"] is JsonValue r && r.TryGetValue<string>(out var text) ? text : "";
        if (First(record, RateKeys) is { } rate) return RateChange.SetTo(at, rate, reason);
        if (First(record, FactorKeys) is { } factor) return RateChange.Scale(at, factor, reason);
        return null;
    }

    /// <summary>The first of <paramref name="keys"/> that holds a number.</summary>
    public static double? First(JsonObject record, IEnumerable<string> keys)
    {
        foreach (var key in keys)
            if (record[key] is JsonValue value && value.TryGetValue<double>(out var number) && double.IsFinite(number))
                return number;
        return null;
    }
}
