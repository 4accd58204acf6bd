using ActorTrain.Actors.Protocol;
using Akka.Actor;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// A shard's answers to <see cref="SetConsistency"/> and <see cref="SetLearningRates"/>: each is sent once a snapshot taken
/// after the change is written (<see cref="ConsistencySet"/>, <see cref="LearningRatesSet"/>; durable or not). A change that arrives while an older snapshot is being written waits
/// for the next one, which the shard starts as soon as the older is done (<see cref="NeedSnapshot"/>).
/// </summary>
internal sealed class ModeConfirmations(int shardId)
{
    private readonly List<(IActorRef ReplyTo, long? SequenceNr, Func<long, bool, object> Answer)> _waiting = [];

    /// <summary>Some change waits for a snapshot not started yet.</summary>
    public bool NeedSnapshot => _waiting.Exists(w => w.SequenceNr is null);

    public void Add(IActorRef replyTo) => _waiting.Add((replyTo, null, (version, durable) => new ConsistencySet(shardId, version, durable)));

    /// <summary>A change answered by <paramref name="answer"/>(version, durable) once a snapshot holding it is written.</summary>
    public void Add(IActorRef replyTo, Func<long, bool, object> answer) => _waiting.Add((replyTo, null, answer));

    /// <summary>A snapshot of the state as it is now starts under <paramref name="sequenceNr"/>: it holds every change so far.</summary>
    public void Writing(long sequenceNr)
    {
        for (var i = 0; i < _waiting.Count; i++)
            if (_waiting[i].SequenceNr is null) _waiting[i] = _waiting[i] with { SequenceNr = sequenceNr };
    }

    /// <summary>The snapshot <paramref name="sequenceNr"/>, at <paramref name="version"/>, is written (or failed).</summary>
    public void Written(long sequenceNr, long version, bool durable)
    {
        foreach (var (replyTo, _, answer) in _waiting.Where(w => w.SequenceNr <= sequenceNr).ToList())
            replyTo.Tell(answer(version, durable));
        _waiting.RemoveAll(w => w.SequenceNr <= sequenceNr);
    }
}
