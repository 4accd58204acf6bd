using ActorTrain.Core.Divergence;

namespace ActorTrain.Core.Tests.Divergence;

/// <summary>Feeds a detector a stream of values, one report a second at updates 1, 2, …</summary>
internal static class Samples
{
    public static readonly DateTimeOffset Noon = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static MetricSample At(long update, double value) => new(update, Noon.AddSeconds(update), value);

    public static (TState State, DivergenceDecision[] Decisions) Feed<TState>(
        TState start, Func<TState, MetricSample, (TState, DivergenceDecision)> decide, params double[] values)
    {
        var state = start;
        var decisions = new DivergenceDecision[values.Length];
        for (var i = 0; i < values.Length; i++) (state, decisions[i]) = decide(state, At(i + 1, values[i]));
        return (state, decisions);
    }
}
