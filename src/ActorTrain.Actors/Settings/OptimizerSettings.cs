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
        r.Choice("schedule", new Dictionary<string, ScheduleKind>
        {
            ["constant"] = ScheduleKind.Constant, ["cosine"] = ScheduleKind.Cosine, ["step"] = ScheduleKind.Step,
            ["exponential"] = ScheduleKind.Exponential, ["one-cycle"] = ScheduleKind.OneCycle,
        }),
        r.Int("warmup-updates", 0, int.MaxValue),
        Shape(r));

    /// <summary>optimizer.step, optimizer.exponential and optimizer.one-cycle: the parameters of those schedules.</summary>
    private static ScheduleShape Shape(SettingsReader r)
    {
        var step = r.Section("step");
        var exponential = r.Section("exponential");
        var cycle = r.Section("one-cycle");
        return new ScheduleShape(
            new StepDecay(step.Int("size", 1, int.MaxValue), step.Double("gamma", 0, 1)),
            new ExponentialDecay(exponential.Double("gamma", 0, 1), exponential.Int("every", 1, int.MaxValue), exponential.Bool("staircase")),
            new OneCycleShape(cycle.Double("pct-start", 1e-9, 1), cycle.Choice("anneal", new Dictionary<string, AnnealStrategy> { ["cos"] = AnnealStrategy.Cos, ["linear"] = AnnealStrategy.Linear }),
                cycle.Double("div-factor", 1, 1e12), cycle.Double("final-div-factor", 1, 1e12), cycle.Bool("three-phase")));
    }
}
