using ActorTrain.Actors.Protocol;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// A shard's part in checkpoints (<see cref="TakeCheckpoint"/>): it snapshots its applied state at the version asked
/// for, now or, when that version is ahead, as soon as it reaches it and before it applies anything more, and answers
/// once the snapshot is durable. Checkpoint snapshots are kept apart from the shard's own (which it prunes to the newest
/// few): under <c>&lt;shard's persistence id&gt;/checkpoints</c>, sequence number = checkpoint id. The coordinator deletes
/// those a newer complete checkpoint has replaced; a resume copies the chosen one back as the shard's newest snapshot.
/// </summary>
public sealed class ShardCheckpoints(int shardId, string persistenceId, Func<ShardSnapshot> capture, Action<SaveSnapshot> save, ILoggingAdapter log)
{
    private readonly List<(TakeCheckpoint Take, IActorRef ReplyTo)> _armed = [];
    private readonly Dictionary<long, (long Version, IActorRef ReplyTo)> _writing = [];

    /// <summary>Where a shard with persistence id <paramref name="shardPersistenceId"/> keeps its checkpoint snapshots.</summary>
    public static string PersistenceIdOf(string shardPersistenceId) => $"{shardPersistenceId}/checkpoints";

    public string PersistenceId => persistenceId;

    public void Request(TakeCheckpoint take, IActorRef replyTo, long version)
    {
        if (take.AtVersion == TakeCheckpoint.AnyVersion || take.AtVersion == version) Write(take.CheckpointId, version, replyTo);
        else if (take.AtVersion > version) _armed.Add((take, replyTo));
        else replyTo.Tell(new CheckpointRefused(shardId, take.CheckpointId, $"shard {shardId} is at version {version}, past the checkpoint's {take.AtVersion}"));
    }

    /// <summary>A rollback: the checkpoints armed for versions ahead will not be reached on these weights (the coordinator gave them up).</summary>
    public void Clear() => _armed.Clear();

    /// <summary>The shard has just reached <paramref name="version"/> and applies nothing more before this returns.</summary>
    public void Reached(long version)
    {
        if (_armed.Count == 0) return;
        foreach (var (take, replyTo) in _armed.Where(a => a.Take.AtVersion <= version).ToList())
        {
            _armed.Remove((take, replyTo));
            if (take.AtVersion == version) Write(take.CheckpointId, version, replyTo);
            else replyTo.Tell(new CheckpointRefused(shardId, take.CheckpointId, $"shard {shardId} went from below version {take.AtVersion} to {version}"));
        }
    }

    /// <summary>Whether the store's answer was for a checkpoint snapshot (then it is handled here).</summary>
    public bool Handled(SaveSnapshotSuccess saved)
    {
        if (saved.Metadata.PersistenceId != persistenceId) return false;
        if (_writing.Remove(saved.Metadata.SequenceNr, out var writing))
            writing.ReplyTo.Tell(new CheckpointTaken(shardId, saved.Metadata.SequenceNr, writing.Version));
        return true;
    }

    public bool Handled(SaveSnapshotFailure failed)
    {
        if (failed.Metadata.PersistenceId != persistenceId) return false;
        if (_writing.Remove(failed.Metadata.SequenceNr, out var writing))
        {
            log.Warning("shard {0}: snapshot for checkpoint {1} failed ({2})", shardId, failed.Metadata.SequenceNr, failed.Cause.Message);
            writing.ReplyTo.Tell(new CheckpointRefused(shardId, failed.Metadata.SequenceNr, $"the snapshot write failed: {failed.Cause.Message}"));
        }
        return true;
    }

    private void Write(long checkpointId, long version, IActorRef replyTo)
    {
        _writing[checkpointId] = (version, replyTo);
        log.Debug("shard {0}: snapshot for checkpoint {1} at version {2}", shardId, checkpointId, version);
        save(new SaveSnapshot(new SnapshotMetadata(persistenceId, checkpointId, DateTime.UtcNow), capture()));
    }
}
