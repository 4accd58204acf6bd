namespace ActorTrain.Actors.Settings;

/// <summary>A configuration key is unknown or has a bad value; the message names the key, the value and what was expected.</summary>
public sealed class SettingsException(string message) : Exception(message);
