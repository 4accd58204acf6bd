using ActorTrain.Actors.Protocol;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// Stands for one parameter shard in a cluster: forwards what it is told to the shard's entity through the
/// local shard region (or region proxy), keeping the original sender so replies go straight back. Workers,
/// the evaluator and the coordinator hold one route per shard, the same list they hold of shard actors in-process.
/// </summary>
public sealed class ShardRoute : ReceiveActor
{
    public ShardRoute(int shardId, IActorRef region)
    {
        var entityId = ShardMessageExtractor.EntityIdOf(shardId);
        ReceiveAny(message => region.Forward(message is IShardMessage ? message : new ShardingEnvelope(entityId, message)));
    }

    public static Props Props(int shardId, IActorRef region) => Akka.Actor.Props.Create(() => new ShardRoute(shardId, region));
}
