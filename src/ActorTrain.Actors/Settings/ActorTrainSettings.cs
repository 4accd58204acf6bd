using ActorTrain.Core.Hyperparameters;
using Akka.Configuration;

namespace ActorTrain.Actors.Settings;

/// <summary>All of a job's settings, read from the actortrain section of its HOCON (reference.conf as fallback).</summary>
public sealed record ActorTrainSettings(
    JobSettings Job,
    ModelSettings Model,
    DataSettings Data,
    TrainingSettings Training,
    OptimizerSpec Optimizer,
    WireSettings Wire,
    EvaluatorSettings Evaluator,
    RunSettings Run,
    TorchSettings Torch,
    ClusterSettings Cluster,
    PersistenceSettings Persistence)
{
    public const string Root = "actortrain";

    /// <summary>Reads and validates; <paramref name="config"/> must already have reference.conf as its fallback.</summary>
    public static ActorTrainSettings Create(Config config)
    {
        var r = new SettingsReader(config, Root);
        return new ActorTrainSettings(
            JobSettings.Create(r.Section("job")),
            ModelSettings.Create(r.Section("model")),
            DataSettings.Create(r.Section("data")),
            TrainingSettings.Create(r.Section("training")),
            OptimizerSettings.Create(r.Section("optimizer")),
            WireSettings.Create(r.Section("wire")),
            EvaluatorSettings.Create(r.Section("evaluator")),
            RunSettings.Create(r.Section("run")),
            TorchSettings.Create(r.Section("torch")),
            ClusterSettings.Create(r.Section("cluster")),
            PersistenceSettings.Create(r.Section("persistence")));
    }
}
