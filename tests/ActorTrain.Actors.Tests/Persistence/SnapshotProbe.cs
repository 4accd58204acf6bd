using ActorTrain.Actors.Protocol;
using Akka.Actor;
using Akka.Persistence;

namespace ActorTrain.Actors.Tests.Persistence;

/// <summary>
/// A persistent actor that stands in for a parameter shard: it persists wire messages as events and saves one as a
/// snapshot, through the run's store, and reports what it recovered. Snapshot: a <see cref="ShardWeights"/> (tensor
/// bytes); events: <see cref="WorkerLeft"/>.
/// </summary>
public sealed class SnapshotProbe : ReceivePersistentActor
{
    private readonly List<WorkerLeft> _events = [];
    private ShardWeights? _weights;
    private long? _recoveredSnapshotAt;
    private IActorRef _snapshotRequester = ActorRefs.Nobody;

    public SnapshotProbe(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(offer =>
        {
            _weights = (ShardWeights)offer.Snapshot;
            _recoveredSnapshotAt = offer.Metadata.SequenceNr;
        });
        Recover<WorkerLeft>(_events.Add);
        Command<Remember>(remember => Persist(remember.Event, e =>
        {
            _events.Add(e);
            Sender.Tell(new Remembered(LastSequenceNr));
        }));
        Command<TakeSnapshot>(take =>
        {
            _weights = take.Weights;
            _snapshotRequester = Sender;
            SaveSnapshot(take.Weights);
        });
        Command<SaveSnapshotSuccess>(success => _snapshotRequester.Tell(new SnapshotTaken(success.Metadata.SequenceNr)));
        Command<SaveSnapshotFailure>(failure => _snapshotRequester.Tell(new Status.Failure(failure.Cause)));
        Command<Report>(_ => Sender.Tell(new Recovered(_weights, [.. _events], _recoveredSnapshotAt)));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId) => Akka.Actor.Props.Create(() => new SnapshotProbe(persistenceId));

    /// <summary>Test → probe: persist this event; answered with <see cref="Remembered"/>.</summary>
    public sealed record Remember(WorkerLeft Event);

    public sealed record Remembered(long SequenceNr);

    /// <summary>Test → probe: save these weights as the snapshot; answered with <see cref="SnapshotTaken"/> or a failure.</summary>
    public sealed record TakeSnapshot(ShardWeights Weights);

    public sealed record SnapshotTaken(long SequenceNr);

    /// <summary>Test → probe: what do you hold? Answered with <see cref="Recovered"/>.</summary>
    public sealed record Report;

    /// <param name="SnapshotSequenceNr">The sequence number of the snapshot recovery started from, or null if none.</param>
    public sealed record Recovered(ShardWeights? Weights, IReadOnlyList<WorkerLeft> Events, long? SnapshotSequenceNr);
}
