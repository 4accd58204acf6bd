using System.Collections.Immutable;
using ActorTrain.Chaos.Agent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace ActorTrain.Chaos.Faults;

/// <summary>
/// Akka.Persistence.Sql's journal with the process's store faults: during an outage a write or a recovery's read fails as a
/// lost database would fail it; with latency a write completes that much later. Bound by a chaos run as the journal plugin's class.
/// </summary>
public sealed class FaultyJournal(Config journalConfig) : SqlWriteJournal(journalConfig)
{
    private readonly StoreFaults _faults = ChaosAgent.For(Context.System).Store;

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var before = _faults.BeforeWrite("journal");
        if (before.IsCompletedSuccessfully && before.Result is { } failure) return Task.FromException<IImmutableList<Exception>>(failure);
        // The write is issued now, on the journal's thread (the base class needs it there); only its answer is held back.
        var write = base.WriteMessagesAsync(messages, cancellationToken);
        return before.IsCompletedSuccessfully ? write : After(before, write);
    }

    private static async Task<IImmutableList<Exception>> After(Task<Exception?> before, Task<IImmutableList<Exception>> write)
    {
        await before.ConfigureAwait(false);
        return await write.ConfigureAwait(false);
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        _faults.BeforeRead("journal replay");
        return base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        _faults.BeforeRead("journal");
        return base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }
}
