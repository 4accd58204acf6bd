using ActorTrain.Actors.Settings;
using ActorTrain.Core.DataQuality;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Data.Quality;
using ActorTrain.Cli.Output;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// <c>actortrain data check &lt;job.hocon&gt; [--set key=value]…</c>: the data-quality report of the job's data, split as
/// training splits it, before any training: label balance, unreadable or out-of-range records, exact duplicates within
/// and across splits. Exit 0 when every record is usable (duplicates are reported, not refused), 1 otherwise.
/// </summary>
public static class DataCommand
{
    public const string Usage = "actortrain data check <job.hocon> [--set actortrain.key=value]...";

    /// <summary>The exit code when some records are unreadable or out of range.</summary>
    public const int InvalidDataExitCode = 1;

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output)
    {
        var parsed = CommandArguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (parsed.Positionals.Count != 2 || parsed.Positionals[0] != "check")
            throw new UsageException($"data takes the verb check and one job file.\nusage: {Usage}");
        var overrides = parsed.Sets.Select(set =>
        {
            var eq = set.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--set {set}: expected key=value, e.g. --set actortrain.data.validation-size=5000");
            return $"{set[..eq].Trim()} = {set[(eq + 1)..].Trim()}";
        });
        var settings = ActorTrainSettings.Create(JobConfig.FromFile(parsed.Positionals[1], overrides));
        var (source, records) = Read(settings);
        var report = DataQualityCheck.Run(records.Splits);
        DataQualityText.Write(output, source, records.Unreadable, report);
        return Task.FromResult(records.Unreadable.Count > 0 || report.InvalidRecords > 0 ? InvalidDataExitCode : 0);
    }

    private static (string Source, CheckedRecords Records) Read(ActorTrainSettings settings)
    {
        var data = settings.Data;
        switch (data.Task)
        {
            case DataTask.FashionMnist:
                var options = new FashionMnistOptions(data.Path, data.ValidationSize, settings.Job.Seed, data.Download);
                return ($"fashion-mnist in {FashionMnist.Locate(options)}, validation {data.ValidationSize} rows held out by seed {settings.Job.Seed}",
                    FashionMnistRecords.Read(options));
            case DataTask.Synthetic:
                var splits = SyntheticTask.Create(new SyntheticOptions(data.SyntheticTrainSize, data.ValidationSize, data.SyntheticTestSize,
                    data.SyntheticFeatures, data.SyntheticClasses, settings.Job.Seed, data.SyntheticNoise));
                return ($"synthetic task, seed {settings.Job.Seed}", new CheckedRecords(
                    [SampleRecords.Of("train", splits.Train), SampleRecords.Of("validation", splits.Validation), SampleRecords.Of("test", splits.Test)], []));
            default:
                throw new UsageException($"data check does not know the task {data.Task}");
        }
    }
}
