using ActorTrain.Chaos.Agent;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Snapshot;

namespace ActorTrain.Chaos.Faults;

/// <summary>Akka.Persistence.Sql's snapshot store with the process's store faults on its writes and loads (see <see cref="FaultyJournal"/>).</summary>
public sealed class FaultySnapshotStore(Config snapshotConfig) : SqlSnapshotStore(snapshotConfig)
{
    private readonly StoreFaults _faults = ChaosAgent.For(Context.System).Store;

    protected override async Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        if (await _faults.BeforeWrite("snapshot").ConfigureAwait(false) is { } failure) throw failure;
        await base.SaveAsync(metadata, snapshot, cancellationToken).ConfigureAwait(false);
    }

    protected override Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        _faults.BeforeRead("snapshot");
        return base.LoadAsync(persistenceId, criteria, cancellationToken);
    }
}
