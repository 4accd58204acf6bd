namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.evaluator: how often validation runs while training.</summary>
public sealed record EvaluatorSettings(int EveryUpdates)
{
    public static EvaluatorSettings Create(SettingsReader r) => new(r.Int("every-updates", 0, int.MaxValue));
}
