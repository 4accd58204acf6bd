using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// Places each new parameter shard on the ps node holding the fewest (ties: the lowest address, so placement is
/// repeatable), and never moves a live shard: moving one stops it and starts it elsewhere, and a shard's state
/// goes with it only once shards persist their snapshots. A shard whose node is lost is placed anew.
/// </summary>
public sealed class NoRebalanceAllocation : IShardAllocationStrategy
{
    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId,
        IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        if (currentShardAllocations.Count == 0) return Task.FromResult(requester);
        var least = currentShardAllocations
            .OrderBy(a => a.Value.Count)
            .ThenBy(a => a.Key.Path.Address.ToString(), StringComparer.Ordinal)
            .ThenBy(a => a.Key.Path.ToString(), StringComparer.Ordinal)
            .First();
        return Task.FromResult(least.Key);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations,
        IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
