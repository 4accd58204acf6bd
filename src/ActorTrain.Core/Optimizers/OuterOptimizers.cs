using ActorTrain.Core.Consistency;

namespace ActorTrain.Core.Optimizers;

/// <summary>
/// A shard's outer steps for local SGD and DiLoCo pseudo-gradients. Each steps the same weights as the shard's own
/// optimizer (which applies plain gradients) but keeps a state of its own, such as DiLoCo's momentum buffer, created
/// on the first push of its kind; so a job can switch between modes while it runs.
/// </summary>
public sealed class OuterOptimizers(ShardOptimizer shard, LocalTrainingSpec spec)
{
    private readonly Dictionary<PushKind, OuterStep> _outer = [];

    public OuterStep For(PushKind kind)
    {
        if (!_outer.TryGetValue(kind, out var step))
        {
            step = new OuterStep(shard, spec.Outer(kind));
            _outer[kind] = step;
        }
        return step;
    }

    /// <summary>One outer step with the pseudo-gradient <paramref name="delta"/> (start − end weights of a round), applied as-is.</summary>
    public void Apply(PushKind kind, ReadOnlySpan<float> delta) => For(kind).Apply(delta);
}
