using System.Globalization;
using Akka.Configuration;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Reads typed values from one HOCON section and turns every bad value into a <see cref="SettingsException"/>
/// that names the full key, the value and what was expected.
/// </summary>
public sealed class SettingsReader(Config config, string path)
{
    public string Key(string name) => $"{path}.{name}";

    public SettingsReader Section(string name) => new(config, Key(name));

    public string String(string name) => Raw(name);

    public int Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        var raw = Raw(name);
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw Bad(name, raw, $"an integer{Range(min, max)}");
        return value;
    }

    public ulong ULong(string name)
    {
        var raw = Raw(name);
        return ulong.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Bad(name, raw, "a non-negative integer");
    }

    public double Double(string name, double min = double.MinValue, double max = double.MaxValue)
    {
        var raw = Raw(name);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min || value > max)
            throw Bad(name, raw, $"a number{Range(min, max)}");
        return value;
    }

    public bool Bool(string name)
    {
        var raw = Raw(name);
        return raw.ToLowerInvariant() switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw Bad(name, raw, "on or off"),
        };
    }

    /// <param name="allowZero">Whether 0 is accepted (for keys where 0 turns something off).</param>
    public TimeSpan Duration(string name, bool allowZero = false)
    {
        var raw = Raw(name);
        var expected = allowZero ? "0 or a positive duration such as 500ms, 2s or 1m" : "a positive duration such as 500ms, 2s or 1m";
        try
        {
            var value = config.GetTimeSpan(Key(name), null, allowInfinite: false);
            return value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero) ? value : throw Bad(name, raw, expected);
        }
        catch (Exception e) when (e is not SettingsException)
        {
            throw Bad(name, raw, expected);
        }
    }

    /// <summary>A size in bytes, written as 1048576, 1MiB, 64KiB, 512kB…</summary>
    public long ByteSize(string name, long min, long max)
    {
        var raw = Raw(name);
        long? value;
        try
        {
            value = config.GetByteSize(Key(name));
        }
        catch (Exception)
        {
            value = null;
        }
        return value is { } bytes && bytes >= min && bytes <= max
            ? bytes
            : throw Bad(name, raw, max == long.MaxValue
                ? $"a size in bytes such as 65536, 64KiB or 256MiB, at least {min}"
                : $"a size from {min} to {max} bytes such as 64KiB or 1MiB");
    }

    public T Choice<T>(string name, IReadOnlyDictionary<string, T> choices)
    {
        var raw = Raw(name);
        return choices.TryGetValue(raw.ToLowerInvariant(), out var value)
            ? value
            : throw Bad(name, raw, $"one of {string.Join(", ", choices.Keys)}");
    }

    public IReadOnlyList<int> IntList(string name, int min)
    {
        if (!config.HasPath(Key(name))) throw new SettingsException($"{Key(name)} is missing; reference.conf documents its default.");
        var value = config.GetValue(Key(name));
        if (!value.IsArray()) throw Bad(name, value.ToString() ?? "", "a list of integers such as [256, 128]");
        IList<int> values;
        try
        {
            values = config.GetIntList(Key(name));
        }
        catch (Exception e)
        {
            throw Bad(name, RawOrEmpty(name), $"a list of integers such as [256, 128] ({e.Message})");
        }
        if (values.Any(v => v < min)) throw Bad(name, $"[{string.Join(", ", values)}]", $"integers ≥ {min}");
        return [.. values];
    }

    public IReadOnlyList<string> StringList(string name)
    {
        if (!config.HasPath(Key(name))) throw new SettingsException($"{Key(name)} is missing; reference.conf documents its default.");
        try
        {
            return [.. config.GetStringList(Key(name))];
        }
        catch (Exception e) when (e is not SettingsException)
        {
            throw Bad(name, RawOrEmpty(name), $"a list of names such as [\"conv1\", \"fc1\"] ({e.Message})");
        }
    }

    public SettingsException Bad(string name, string value, string expected) =>
        new($"{Key(name)} = {value} is not valid: expected {expected}.");

    private string Raw(string name)
    {
        if (!config.HasPath(Key(name))) throw new SettingsException($"{Key(name)} is missing; reference.conf documents its default.");
        var value = config.GetValue(Key(name));
        if (value.IsArray() || value.IsObject())
            throw new SettingsException($"{Key(name)} = {value} is not valid: expected a single value, not a {(value.IsArray() ? "list" : "section")}.");
        return value.GetString() ?? "";
    }

    private string RawOrEmpty(string name)
    {
        try { return config.GetString(Key(name)) ?? ""; }
        catch (Exception) { return "(a non-list value)"; }
    }

    private static string Range(double min, double max) =>
        (min > double.MinValue && min > int.MinValue, max < double.MaxValue) switch
        {
            (true, true) => $" from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
            (true, false) => $" ≥ {min.ToString(CultureInfo.InvariantCulture)}",
            (false, true) => $" ≤ {max.ToString(CultureInfo.InvariantCulture)}",
            _ => "",
        };
}
