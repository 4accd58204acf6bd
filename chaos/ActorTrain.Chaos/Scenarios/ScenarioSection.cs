using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTrain.Chaos.Scenarios;

/// <summary>
/// One object of a scenario file (the chaos section, its topology, one fault), read key by key: each read names the key's
/// full path in its error, and <see cref="RefuseUnknown"/> refuses any key not read.
/// </summary>
internal sealed class ScenarioSection(HoconObject hocon, string path, string file)
{
    private readonly HashSet<string> _read = [];

    public static ScenarioSection Of(HoconValue value, string path, string file) =>
        value.IsObject() ? new ScenarioSection(value.GetObject(), path, file) : throw new ScenarioException($"{file}: {path} must be an object {{ … }}");

    public bool Has(string key)
    {
        _read.Add(key);
        return hocon.Items.ContainsKey(key);
    }

    private HoconValue? Value(string key) => Has(key) ? hocon.Items[key] : null;

    private string Key(string key) => $"{path}.{key}";

    public ScenarioException Bad(string key, string value, string expected) =>
        new($"{file}: {Key(key)} = {value} is not valid: expected {expected}.");

    public string String(string key, string fallback) => Value(key) is { } v ? v.GetString() : fallback;

    public long Long(string key, long fallback, long min = long.MinValue)
    {
        if (Value(key) is not { } v) return fallback;
        var text = v.GetString();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw Bad(key, text, min == long.MinValue ? "a whole number" : $"a whole number of at least {min}");
    }

    public int Int(string key, int fallback, int min = int.MinValue) => (int)Long(key, fallback, min);

    public double Double(string key, double fallback, double min, double max)
    {
        if (Value(key) is not { } v) return fallback;
        var text = v.GetString();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max
            ? d
            : throw Bad(key, text, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    public bool Bool(string key, bool fallback)
    {
        if (Value(key) is not { } v) return fallback;
        return v.GetString() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            var other => throw Bad(key, other, "on or off"),
        };
    }

    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        if (Value(key) is not { } v) return fallback;
        try
        {
            var d = v.GetTimeSpan();
            return d >= TimeSpan.Zero ? d : throw Bad(key, v.GetString(), "a duration of 0 or more such as 500ms, 5s or 2m");
        }
        catch (Exception e) when (e is not ScenarioException)
        {
            throw Bad(key, v.GetString(), "a duration such as 500ms, 5s or 2m");
        }
    }

    public IReadOnlyList<string> Strings(string key)
    {
        if (Value(key) is not { } v) return [];
        if (!v.IsArray()) return [v.GetString()];
        return [.. v.GetArray().Select(e => e.GetString())];
    }

    public IReadOnlyList<HoconValue> Array(string key)
    {
        if (Value(key) is not { } v) return [];
        return v.IsArray() ? [.. v.GetArray()] : v.IsEmpty || string.IsNullOrEmpty(v.GetString()) ? [] : throw Bad(key, v.GetString(), "a list [ … ]");
    }

    public ScenarioSection? Section(string key) => Value(key) is { } v ? Of(v, Key(key), file) : null;

    public void RefuseUnknown(IEnumerable<string>? alsoAllowed = null)
    {
        var allowed = new HashSet<string>(_read.Concat(alsoAllowed ?? []));
        var unknown = hocon.Items.Keys.Where(k => !allowed.Contains(k)).Select(Key).ToList();
        if (unknown.Count > 0)
            throw new ScenarioException($"{file}: unknown key{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)} (a misspelling? " +
                                        $"the chaos section of a scenario reads {string.Join(", ", allowed.Order(StringComparer.Ordinal))} here).");
    }

    public static Config AsConfig(HoconObject o) => new(new HoconRoot(new HoconValue([o])));
}
