using ActorTrain.Core.Consistency;
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
    PersistenceSettings Persistence,
    LocalSgdSettings LocalSgd,
    DiLoCoSettings DiLoCo,
    TelemetrySettings Telemetry,
    PolicySettings Policy)
{
    public const string Root = "actortrain";

    /// <summary>Reads and validates; <paramref name="config"/> must already have reference.conf as its fallback.</summary>
    public static ActorTrainSettings Create(Config config)
    {
        var r = new SettingsReader(config, Root);
        var settings = new ActorTrainSettings(
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
            PersistenceSettings.Create(r.Section("persistence")),
            LocalSgdSettings.Create(r.Section("local-sgd")),
            DiLoCoSettings.Create(r.Section("diloco")),
            TelemetrySettings.Create(r.Section("telemetry")),
            PolicySettings.Create(r.Section("policy")));
        if (settings.Policy.Divergence.Watch != null && settings.Job.Mode.IsLocal())
            throw new SettingsException($"{Root}.policy.divergence.enabled = on: not available with job.mode = {settings.Job.ModeName} (a worker's round " +
                                        "of inner steps is pushed as one pseudo-gradient, which this divergence handling does not judge or skip); use bsp, ssp or asp");
        return settings;
    }

    /// <summary>
    /// Local SGD's and DiLoCo's optimizers. Local SGD's inner optimizer is actortrain.optimizer; DiLoCo's is AdamW with
    /// actortrain.diloco.inner's values. Both inner rates follow actortrain.optimizer's schedule and warm-up.
    /// </summary>
    public LocalTrainingSpec LocalTraining => new(
        Job.InnerSteps,
        Optimizer,
        LocalSgd.OuterLearningRate,
        Optimizer with
        {
            Kind = OptimizerKind.AdamW, LearningRate = DiLoCo.InnerLearningRate, Momentum = 0, WeightDecay = DiLoCo.InnerWeightDecay,
            Beta1 = DiLoCo.InnerBeta1, Beta2 = DiLoCo.InnerBeta2, Nesterov = false,
        },
        DiLoCo.OuterLearningRate,
        DiLoCo.OuterMomentum,
        DiLoCo.OuterPushesPerStep > 0 ? DiLoCo.OuterPushesPerStep : Job.Workers);
}
