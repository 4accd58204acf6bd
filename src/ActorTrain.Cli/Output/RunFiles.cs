using System.Text.Json;
using System.Text.Json.Nodes;
using ActorTrain.Actors.Settings;
using ActorTrain.Cli.Commands;

namespace ActorTrain.Cli.Output;

/// <summary>
/// Lenient reads of a run folder's files for the commands that only look at runs (report, runs): a file that is missing,
/// torn or from another ActorTrain gives null, never an exception.
/// </summary>
public static class RunFiles
{
    /// <summary>The run's settings from its config.hocon; null with <paramref name="problem"/> saying why when they cannot be read.</summary>
    public static ActorTrainSettings? Settings(string folder, out string? problem)
    {
        try
        {
            problem = null;
            return ActorTrainSettings.Create(JobConfig.FromText(RunFolder.Open(folder).ReadConfig()));
        }
        catch (Exception e) when (e is UsageException or SettingsException or Akka.Configuration.ConfigurationException or IOException)
        {
            problem = e.Message;
            return null;
        }
    }

    public static JsonNode? Json(string path)
    {
        try
        {
            return File.Exists(path) ? Parse(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? Text(JsonObject? o, string key) => o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static double? Number(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : null;
}
