using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Evaluator → coordinator: metrics of the weights at <see cref="Version"/> (the lowest shard version seen).
/// Test metrics and the weights' hash are filled in only for a final evaluation. The confusion matrices are
/// row-major classes × classes counts (rows labels, columns predictions); null from an evaluator that sent none.
/// </summary>
[MessagePackObject]
public sealed record ParametersEvaluated(
    [property: Key(0)] long Updates,
    [property: Key(1)] long Version,
    [property: Key(2)] double ValidationLoss,
    [property: Key(3)] double ValidationAccuracy,
    [property: Key(4)] bool Final,
    [property: Key(5)] double TestLoss,
    [property: Key(6)] double TestAccuracy,
    [property: Key(7)] string WeightsSha256,
    [property: Key(8)] long[]? ValidationConfusion = null,
    [property: Key(9)] long[]? TestConfusion = null) : IWireMessage;
