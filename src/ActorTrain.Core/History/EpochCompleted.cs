namespace ActorTrain.Core.History;

/// <summary>The coordinator saw every micro-batch of <paramref name="Epoch"/> committed.</summary>
public sealed record EpochCompleted(int Epoch) : HistoryEvent;
