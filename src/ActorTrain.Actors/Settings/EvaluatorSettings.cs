namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.evaluator: how often validation runs while training: every <see cref="EveryUpdates"/> updates, and also
/// once <see cref="EverySeconds"/> of training have passed since the last one (either 0: not by that measure).
/// </summary>
public sealed record EvaluatorSettings(int EveryUpdates, double EverySeconds = 0)
{
    public static EvaluatorSettings Create(SettingsReader r) => new(r.Int("every-updates", 0, int.MaxValue), r.Double("every-seconds", 0, 1e9));
}
