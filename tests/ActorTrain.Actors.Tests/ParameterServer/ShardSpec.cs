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
/// upstream-backup notices (<see cref="ShardStarted"/>, <see cref="ShardSnapshotted"/>) are ignored here; ShardDurabilitySpecs cover them.
/// </summary>
public abstract class ShardSpec : Akka.TestKit.Xunit2.TestKit
{
    protected ShardSpec()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
        IgnoreMessages(IsDurabilityNotice);
    }

    /// <summary>The upstream backup's notices (a greeting, a snapshot's coverage): ShardDurabilitySpecs cover them.</summary>
    private static bool IsDurabilityNotice(object message) => message is ShardStarted or ShardSnapshotted;

    /// <summary>A store of its own (in memory) and no snapshots unless a test asks: specs see only the messages they drive.</summary>
    internal static ShardDurability NoSnapshots(string? persistenceId = null) =>
        new(persistenceId ?? $"spec-{Guid.NewGuid():N}", new SnapshotPolicy(0, TimeSpan.Zero, 2));

    protected TestProbe Probe()
    {
        var probe = CreateTestProbe();
        probe.IgnoreMessages(IsDurabilityNotice);
        return probe;
    }
}
