namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.run: where runs are written, how often progress is shown, and whether (<see cref="History"/>) and where
/// (<see cref="HistoryDirectory"/>; empty: nowhere, so nothing is recorded) each process records its history; and the
/// weights the job starts from (<see cref="InitFrom"/>, a safetensors file; empty: the seed's initialisation) and the
/// layers that stay as they started (<see cref="Freeze"/>: parameter names or prefixes, <see cref="Core.Parameters.FrozenRanges"/>).
/// </summary>
public sealed record RunSettings(string Directory, TimeSpan ProgressInterval, bool History = true, string HistoryDirectory = "", string InitFrom = "")
{
    public IReadOnlyList<string> Freeze { get; init; } = [];

    public static RunSettings Create(SettingsReader r) =>
        new(r.String("directory"), r.Duration("progress-interval"), r.Bool("history"), r.String("history-directory"), r.String("init-from"))
        {
            Freeze = r.StringList("freeze"),
        };

    public bool Equals(RunSettings? other) =>
        other is not null && (Directory, ProgressInterval, History, HistoryDirectory, InitFrom) ==
        (other.Directory, other.ProgressInterval, other.History, other.HistoryDirectory, other.InitFrom) && Freeze.SequenceEqual(other.Freeze);

    public override int GetHashCode() => HashCode.Combine(Directory, ProgressInterval, History, HistoryDirectory, InitFrom, Freeze.Count);

    /// <summary>The key that names the frozen layers.</summary>
    public static string FreezeKey => $"{ActorTrainSettings.Root}.run.freeze";

    /// <summary>The key that names the starting weights, as <c>run --init-from</c> pins it in the run folder's job file.</summary>
    public static string InitFromKey => $"{ActorTrainSettings.Root}.run.init-from";

    /// <summary>The key that names the history directory, as <c>run</c> pins it for its child processes.</summary>
    public static string HistoryDirectoryKey => $"{ActorTrainSettings.Root}.run.history-directory";
}
