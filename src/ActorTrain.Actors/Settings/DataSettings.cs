namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.data: which task, where its files are, and how the validation split is held out.</summary>
public sealed record DataSettings(
    DataTask Task,
    string? Path,
    int ValidationSize,
    bool Download,
    int SyntheticTrainSize,
    int SyntheticTestSize,
    int SyntheticFeatures,
    int SyntheticClasses,
    float SyntheticNoise)
{
    public static DataSettings Create(SettingsReader r)
    {
        var synthetic = r.Section("synthetic");
        var path = r.String("path");
        return new DataSettings(
            r.Choice("task", new Dictionary<string, DataTask> { ["fashion-mnist"] = DataTask.FashionMnist, ["synthetic"] = DataTask.Synthetic }),
            string.IsNullOrWhiteSpace(path) ? null : path,
            r.Int("validation-size", 1, 50_000),
            r.Bool("download"),
            synthetic.Int("train-size", 1, 10_000_000),
            synthetic.Int("test-size", 1, 10_000_000),
            synthetic.Int("features", 1, 100_000),
            synthetic.Int("classes", 2, 10_000),
            (float)synthetic.Double("noise", 0, 1000));
    }
}
