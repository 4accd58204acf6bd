using ActorTrain.Actors.Settings;
using Akka.Configuration;
using Akka.Persistence.TestKit;
using Akka.TestKit.Xunit2;

namespace ActorTrain.Actors.Tests.Durability;

/// <summary>
/// A TestKit whose journal and snapshot store are Akka.Persistence.TestKit's (in memory, their writes and reads made to
/// fail or be rejected on demand), as its PersistenceTestKit sets them up. Every message goes through the wire serializer
/// unless <c>serializeMessages</c> is false: the journal passes a failed write back inside a message of its own that does
/// not serialize (AsyncWriteJournal's Desequenced, carrying the exception), so specs of journal failures turn it off.
/// </summary>
public abstract class PersistenceFaultSpec : TestKit
{
    private static readonly Config TestStores = ConfigurationFactory.FromResource<TestJournal>("Akka.Persistence.TestKit.config.conf");

    protected PersistenceFaultSpec(bool serializeMessages = true)
        : base(ConfigurationFactory.ParseString($"akka.actor.serialize-messages = {(serializeMessages ? "on" : "off")}").WithFallback(TestStores)
            .WithFallback(JobConfig.Reference))
    {
        var persistence = Akka.Persistence.Persistence.Instance.Apply(Sys);
        Journal = TestJournal.FromRef(persistence.JournalFor(null));
        Snapshots = TestSnapshotStore.FromRef(persistence.SnapshotStoreFor(null));
    }

    /// <summary>The journal: <c>await Journal.OnWrite.Fail()</c>, <c>.Reject()</c>, <c>.Pass()</c>.</summary>
    protected ITestJournal Journal { get; }

    /// <summary>The snapshot store: <c>await Snapshots.OnSave.Fail()</c>, <c>OnLoad.Fail()</c>, <c>.Pass()</c>.</summary>
    protected ITestSnapshotStore Snapshots { get; }
}
