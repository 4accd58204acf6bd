namespace ActorTrain.Actors.Settings;

/// <summary>actortrain.persistence.store: the database that holds the journals and snapshots of a run.</summary>
public enum PersistenceStore
{
    /// <summary>An SQLite file on this machine (by default the run folder's state.db); processes of one machine may share it.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for runs whose nodes are on several machines; one database can hold many runs.</summary>
    PostgreSql,
}
