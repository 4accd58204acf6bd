using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Data;
using Akka.Actor;
using Akka.Persistence;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// Reads a coordinator's journal without being the coordinator: replays it into a <see cref="CoordinatorState"/> (the same
/// <see cref="CoordinatorState.Apply"/>), answers, and stops. It never writes, and it runs before the coordinator starts:
/// a run's start uses it to find the last complete checkpoint, or to refuse a run id that already holds a run.
/// </summary>
public sealed class CoordinatorReader : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private readonly IActorRef _replyTo;

    public CoordinatorReader(string persistenceId, BatchPlan plan, ConsistencyMode mode, IActorRef replyTo)
    {
        _persistenceId = persistenceId;
        _replyTo = replyTo;
        var state = new CoordinatorState(plan, mode);
        Recover<SnapshotOffer>(offer => state = CoordinatorState.FromSnapshot(plan, mode, (CoordinatorSnapshot)offer.Snapshot));
        Recover<IWireMessage>(e => state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            replyTo.Tell(new Read(state, LastSequenceNr));
            Context.Stop(Self);
        });
    }

    public override string PersistenceId => _persistenceId;

    public static Props Props(string persistenceId, BatchPlan plan, ConsistencyMode mode, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new CoordinatorReader(persistenceId, plan, mode, replyTo));

    /// <summary>The coordinator's state as its journal left it, and the highest sequence number written (0: no journal).</summary>
    public sealed record Read(CoordinatorState State, long HighestSequenceNr) : INoSerializationVerificationNeeded;

    /// <summary>A failed read (the store is down, or the journal does not fit this job).</summary>
    public sealed record Failed(Exception Cause) : INoSerializationVerificationNeeded;

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        base.OnRecoveryFailure(reason, message);
        _replyTo.Tell(new Failed(reason));
    }
}
