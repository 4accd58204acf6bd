using ActorTrain.Core.Augmentation;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.data: which task, where its files are, how the validation split is held out, and how training images are augmented (null: not at all).</summary>
public sealed record DataSettings(
    DataTask Task,
    string? Path,
    int ValidationSize,
    bool Download,
    int SyntheticTrainSize,
    int SyntheticTestSize,
    int SyntheticFeatures,
    int SyntheticClasses,
    float SyntheticNoise,
    ImageAugmentation? Augmentation = null)
{
    public static DataSettings Create(SettingsReader r)
    {
        var synthetic = r.Section("synthetic");
        var path = r.String("path");
        var task = r.Choice("task", new Dictionary<string, DataTask> { ["fashion-mnist"] = DataTask.FashionMnist, ["synthetic"] = DataTask.Synthetic });
        var augmentationSection = r.Section("augmentation");
        var augmentation = new ImageAugmentation(augmentationSection.Int("crop-padding", 0, 14), augmentationSection.Bool("horizontal-flip"));
        if (augmentation.Enabled && task != DataTask.FashionMnist)
            throw augmentationSection.Bad(augmentation.CropPadding > 0 ? "crop-padding" : "horizontal-flip",
                augmentation.CropPadding > 0 ? augmentation.CropPadding.ToString(System.Globalization.CultureInfo.InvariantCulture) : "on",
                "0 and off: augmentation is for images, and the synthetic task's samples are feature vectors");
        return new DataSettings(
            task,
            string.IsNullOrWhiteSpace(path) ? null : path,
            r.Int("validation-size", 1, 50_000),
            r.Bool("download"),
            synthetic.Int("train-size", 1, 10_000_000),
            synthetic.Int("test-size", 1, 10_000_000),
            synthetic.Int("features", 1, 100_000),
            synthetic.Int("classes", 2, 10_000),
            (float)synthetic.Double("noise", 0, 1000),
            augmentation.Enabled ? augmentation : null);
    }
}
