namespace ActorTrain.Chaos.Faults;

/// <summary>What a journal or snapshot write fails with during a store-outage fault.</summary>
public sealed class StoreOutageException(string message) : Exception(message);
