namespace ActorTrain.Core.History;

/// <summary>
/// The run ended with weights whose hash (of every shard's bytes in shard order) is <paramref name="Hash"/>;
/// <paramref name="StoppedEarly"/> when training ended before its planned epochs (early stopping, <c>actortrain ctl stop</c>).
/// </summary>
public sealed record FinalWeights(string Hash, bool StoppedEarly = false) : HistoryEvent;
