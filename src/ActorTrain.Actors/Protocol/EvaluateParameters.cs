using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Coordinator → evaluator: pull the current weights and measure them on the validation split (and, when
/// <see cref="Final"/>, on the test split too, with the weights' SHA-256). Reply: <see cref="ParametersEvaluated"/>.
/// </summary>
[MessagePackObject]
public sealed record EvaluateParameters(
    [property: Key(0)] long Updates,
    [property: Key(1)] bool Final) : IWireMessage;
