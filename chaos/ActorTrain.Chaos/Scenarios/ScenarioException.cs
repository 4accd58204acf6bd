namespace ActorTrain.Chaos.Scenarios;

/// <summary>A scenario file that cannot be run: the message names the key, the value and what was expected.</summary>
public sealed class ScenarioException(string message) : Exception(message);
