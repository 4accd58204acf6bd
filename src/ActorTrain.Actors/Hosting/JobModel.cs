using ActorTrain.Actors.Settings;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;
using ActorTrain.Torch.Parameters;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// A job's model and how its flat parameter vector is cut into shards, known from the settings alone (the task fixes
/// the input shape and the classes), so that a run's state can be read without loading its data set.
/// </summary>
public sealed record JobModel(ModelSpec Model, ParameterLayout Parameters, ShardLayout Shards)
{
    public static JobModel Of(ActorTrainSettings settings)
    {
        var data = settings.Data;
        var (shape, classes) = data.Task switch
        {
            DataTask.FashionMnist => ((int[])[1, FashionMnist.ImageSide, FashionMnist.ImageSide], FashionMnist.ClassCount),
            DataTask.Synthetic => ([data.SyntheticFeatures], data.SyntheticClasses),
            _ => throw new SettingsException($"actortrain.data.task: unsupported task {data.Task}"),
        };
        var model = new ModelSpec(settings.Model.Kind, shape, classes, settings.Model.Hidden, settings.Model.Dropout, settings.Model.BatchNorm,
            data.Augmentation, settings.Job.Seed);
        using var module = ModelFactory.Create(model);
        var layout = new FlatModel(module).Layout;
        if (settings.Job.Shards > layout.TotalLength)
            throw new SettingsException($"actortrain.job.shards = {settings.Job.Shards} is not valid: the model has only {layout.TotalLength} parameters.");
        return new JobModel(model, layout, ShardLayout.Balanced(layout.TotalLength, settings.Job.Shards));
    }
}
