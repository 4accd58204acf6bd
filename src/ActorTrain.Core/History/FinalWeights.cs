namespace ActorTrain.Core.History;

/// <summary>The run ended with weights whose hash (of every shard's bytes in shard order) is <paramref name="Hash"/>.</summary>
public sealed record FinalWeights(string Hash) : HistoryEvent;
