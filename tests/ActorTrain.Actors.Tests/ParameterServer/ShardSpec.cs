using ActorTrain.Actors.ParameterServer;
using ActorTrain.Actors.Protocol;
using ActorTrain.Actors.Settings;
using ActorTrain.Core.Durability;
using ActorTrain.Torch.Native;
using Akka.Configuration;
using Akka.TestKit;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>
/// A TestKit for driving parameter shards message by message, every message through the wire serializer. The shard's
/// first-contact greeting (<see cref="ShardStarted"/>, for the upstream backup) is ignored here; ShardDurabilitySpecs cover it.
/// </summary>
public abstract class ShardSpec : Akka.TestKit.Xunit2.TestKit
{
    protected ShardSpec()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        IgnoreMessages<ShardStarted>();
    }

    /// <summary>A store of its own (in memory) and no snapshots unless a test asks: specs see only the messages they drive.</summary>
    protected static ShardDurability NoSnapshots() => new($"spec-{Guid.NewGuid():N}", new SnapshotPolicy(0, TimeSpan.Zero, 2));

    protected TestProbe Probe()
    {
        var probe = CreateTestProbe();
        probe.IgnoreMessages<ShardStarted>();
        return probe;
    }
}
