namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.run: where runs are written and how often progress is shown.</summary>
public sealed record RunSettings(string Directory, TimeSpan ProgressInterval)
{
    public static RunSettings Create(SettingsReader r) => new(r.String("directory"), r.Duration("progress-interval"));
}
