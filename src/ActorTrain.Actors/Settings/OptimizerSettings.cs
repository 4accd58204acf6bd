using ActorTrain.Core.Hyperparameters;

namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.optimizer: what each parameter shard runs over its range.</summary>
public static class OptimizerSettings
{
    public static OptimizerSpec Create(SettingsReader r) => new(
        r.Choice("kind", new Dictionary<string, OptimizerKind> { ["sgd"] = OptimizerKind.Sgd, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW }),
        r.Double("learning-rate", 0, 100),
        r.Double("momentum", 0, 1),
        r.Double("weight-decay", 0, 10),
        r.Double("beta1", 0, 1),
        r.Double("beta2", 0, 1),
        r.Bool("nesterov"),
        r.Choice("schedule", new Dictionary<string, ScheduleKind> { ["constant"] = ScheduleKind.Constant, ["cosine"] = ScheduleKind.Cosine }),
        r.Int("warmup-updates", 0, int.MaxValue));
}
