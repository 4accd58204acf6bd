using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// Parameter shards as Cluster Sharding entities on the nodes with the <c>ps</c> role: each ps node starts a region
/// that can host any shard; other nodes reach them through a region proxy. <see cref="Routes"/> gives the
/// per-shard references the rest of ActorTrain talks to.
/// </summary>
public static class ShardEntities
{
    public const string TypeName = "parameter-shard";
    public const string Role = "ps";

    /// <summary>On a ps node: the region that creates shard N with <paramref name="shardProps"/>(N) on first contact.</summary>
    public static IActorRef StartRegion(ActorSystem system, Func<int, Props> shardProps) =>
        ClusterSharding.Get(system).Start(TypeName, entityId => shardProps(int.Parse(entityId, System.Globalization.CultureInfo.InvariantCulture)),
            ClusterShardingSettings.Create(system).WithRole(Role), new ShardMessageExtractor(), new NoRebalanceAllocation(), PoisonPill.Instance);

    /// <summary>On any other node: a proxy that knows where each shard lives and forwards to it.</summary>
    public static IActorRef StartProxy(ActorSystem system) =>
        ClusterSharding.Get(system).StartProxy(TypeName, Role, new ShardMessageExtractor());

    public static IReadOnlyList<IActorRef> Routes(IActorRefFactory system, IActorRef region, int shardCount) =>
        [.. Enumerable.Range(0, shardCount).Select(s => system.ActorOf(ShardRoute.Props(s, region), $"shard-route-{s}"))];

    /// <summary>The ps nodes whose regions have registered with the sharding coordinator.</summary>
    public static async Task<int> RegisteredRegions(IActorRef region, TimeSpan timeout)
    {
        var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, timeout).ConfigureAwait(false);
        return regions.Regions.Count;
    }
}
