namespace ActorTrain.Actors.Settings;

/// <summary>Writing values into HOCON text that is parsed again (generated config, job files for child processes).</summary>
public static class HoconText
{
    /// <summary>A quoted HOCON string holding <paramref name="value"/> exactly (backslashes and quotes escaped).</summary>
    public static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
