using ActorTrain.Actors.Settings;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;

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
        var model = new ModelSpec(settings.Model.Kind, splits.Train.SampleShape, splits.Train.ClassCount, settings.Model.Hidden);
        using var module = ModelFactory.Create(model);
        var layout = new FlatModel(module).Layout;
        if (settings.Job.Shards > layout.TotalLength)
            throw new SettingsException($"actortrain.job.shards = {settings.Job.Shards} is not valid: the model has only {layout.TotalLength} parameters.");
        return new JobData(splits, model, layout, ShardLayout.Balanced(layout.TotalLength, settings.Job.Shards));
    }
}
