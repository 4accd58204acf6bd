using Akka.Configuration;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Loads a job's HOCON: the user's file, then command-line overrides on top, then reference.conf (embedded)
/// as the fallback. Keys under actortrain that reference.conf does not define stop the load.
/// </summary>
public static class JobConfig
{
    private static readonly Lazy<Config> ReferenceConfig = new(() =>
    {
        using var stream = typeof(JobConfig).Assembly.GetManifestResourceStream("ActorTrain.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded in ActorTrain.Actors");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    public static Config Reference => ReferenceConfig.Value;

    /// <summary>The job file (its includes resolved, see <see cref="HoconFile"/>), then the overrides, then reference.conf.</summary>
    public static Config FromFile(string path, IEnumerable<string>? overrides = null) => FromConfig(HoconFile.Read(path), overrides, path);

    public static Config FromText(string hocon, IEnumerable<string>? overrides = null) =>
        FromConfig(ConfigurationFactory.ParseString(hocon), overrides, "the job config");

    private static Config FromConfig(Config user, IEnumerable<string>? overrides, string source)
    {
        foreach (var line in overrides ?? [])
            user = ConfigurationFactory.ParseString(line).WithFallback(user);
        var unknown = UnknownKeys.Find(user, Reference, ActorTrainSettings.Root);
        if (unknown.Count > 0)
            throw new SettingsException(
                $"{source} has unknown key{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}: " +
                "reference.conf lists every key ActorTrain reads (a misspelling?).");
        return user.WithFallback(Reference);
    }
}
