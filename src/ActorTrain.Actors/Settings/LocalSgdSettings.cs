namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.local-sgd: the shards' outer step on a local SGD round's pseudo-gradient.</summary>
public sealed record LocalSgdSettings(double OuterLearningRate)
{
    public static LocalSgdSettings Create(SettingsReader r) => new(r.Double("outer-learning-rate", 0, 100));
}
