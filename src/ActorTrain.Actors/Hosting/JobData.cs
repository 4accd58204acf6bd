using ActorTrain.Actors.Settings;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;

namespace ActorTrain.Actors.Hosting;

/// <summary>The data and model of a job, loaded once per process and shared read-only by its actors.</summary>
public sealed record JobData(DatasetSplits Splits, ModelSpec Model, ParameterLayout Parameters, ShardLayout Shards)
{
    public static JobData Load(ActorTrainSettings settings)
    {
        var data = settings.Data;
        var splits = data.Task switch
        {
            DataTask.FashionMnist => FashionMnist.Load(new FashionMnistOptions(data.Path, data.ValidationSize, settings.Job.Seed, data.Download)),
            DataTask.Synthetic => SyntheticTask.Create(new SyntheticOptions(data.SyntheticTrainSize, data.ValidationSize, data.SyntheticTestSize,
                data.SyntheticFeatures, data.SyntheticClasses, settings.Job.Seed, data.SyntheticNoise)),
            _ => throw new SettingsException($"actortrain.data.task: unsupported task {data.Task}"),
        };
        var job = JobModel.Of(settings);
        if (!splits.Train.SampleShape.SequenceEqual(job.Model.InputShape) || splits.Train.ClassCount != job.Model.Classes)
            throw new InvalidOperationException($"the data's samples are [{string.Join(",", splits.Train.SampleShape)}] in {splits.Train.ClassCount} " +
                                                $"classes, but JobModel builds {job.Model} for task {data.Task}: the two disagree.");
        return new JobData(splits, job.Model, job.Parameters, job.Shards);
    }
}
