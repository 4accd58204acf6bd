using ActorTrain.Actors.Settings;
using ActorTrain.Core.Export;
using ActorTrain.Core.Parameters;
using ActorTrain.Torch.Data;
using ActorTrain.Torch.Models;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The data and model of a job, loaded once per process and shared read-only by its actors; <see cref="InitialWeights"/>
/// are the weights it starts from when <c>actortrain.run.init-from</c> names them (null: the seed's initialisation).
/// </summary>
public sealed record JobData(DatasetSplits Splits, ModelSpec Model, ParameterLayout Parameters, ShardLayout Shards, float[]? InitialWeights = null)
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
        return new JobData(splits, job.Model, job.Parameters, job.Shards, InitialWeightsOf(settings.Run.InitFrom, job));
    }

    /// <summary>The weights in <paramref name="path"/> (safetensors) when set, checked against the job's model.</summary>
    /// <param name="name">What errors call the weights (default: the path).</param>
    public static float[]? InitialWeightsOf(string path, JobModel job, string? name = null)
    {
        if (path.Length == 0) return null;
        if (!File.Exists(path))
            throw new SettingsException($"{RunSettings.InitFromKey} = {path}: no such file (a safetensors file of this model's weights, as actortrain export writes).");
        using var file = File.OpenRead(path);
        try
        {
            return SafetensorsReader.Read(file, job.Parameters, name ?? path);
        }
        catch (InvalidDataException e)
        {
            throw new SettingsException($"{RunSettings.InitFromKey}: {e.Message} (the job's model is {job.Model}).");
        }
    }
}
