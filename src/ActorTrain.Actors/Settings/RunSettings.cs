namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.run: where runs are written, how often progress is shown, and whether (<see cref="History"/>) and where
/// (<see cref="HistoryDirectory"/>; empty: nowhere, so nothing is recorded) each process records its history.
/// </summary>
public sealed record RunSettings(string Directory, TimeSpan ProgressInterval, bool History = true, string HistoryDirectory = "")
{
    public static RunSettings Create(SettingsReader r) =>
        new(r.String("directory"), r.Duration("progress-interval"), r.Bool("history"), r.String("history-directory"));

    /// <summary>The key that names the history directory, as <c>run</c> pins it for its child processes.</summary>
    public static string HistoryDirectoryKey => $"{ActorTrainSettings.Root}.run.history-directory";
}
