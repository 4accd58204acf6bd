using ActorTrain.Actors.Settings;
using ActorTrain.Torch.Native;
using Akka.Configuration;

namespace ActorTrain.Actors.Tests.ParameterServer;

/// <summary>A TestKit for driving parameter shards message by message, every message through the wire serializer.</summary>
public abstract class ShardSpec : Akka.TestKit.Xunit2.TestKit
{
    protected ShardSpec()
        : base(ConfigurationFactory.ParseString("akka.actor.serialize-messages = on").WithFallback(JobConfig.Reference))
    {
        TorchRuntime.EnsureReady();
    }
}
