namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.diloco: the workers' inner AdamW and the shards' outer Nesterov-momentum SGD.</summary>
public sealed record DiLoCoSettings(
    double InnerLearningRate,
    double InnerWeightDecay,
    double InnerBeta1,
    double InnerBeta2,
    double OuterLearningRate,
    double OuterMomentum,
    int OuterPushesPerStep)
{
    public static DiLoCoSettings Create(SettingsReader r)
    {
        var inner = r.Section("inner");
        var outer = r.Section("outer");
        return new DiLoCoSettings(
            inner.Double("learning-rate", 0, 100),
            inner.Double("weight-decay", 0, 10),
            inner.Double("beta1", 0, 1),
            inner.Double("beta2", 0, 1),
            outer.Double("learning-rate", 0, 100),
            outer.Double("momentum", 0, 1),
            outer.Int("pushes-per-step", 0, 1_000_000));
    }
}
