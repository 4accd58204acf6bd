using System.Globalization;
using ActorTrain.Actors.Protocol;
using Akka.Cluster.Sharding;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>
/// How Cluster Sharding finds a parameter shard: entity id and sharding's shard id are both the parameter shard's
/// number, so each entity is alone in its sharding shard and can be placed on any ps node by itself. Hot-path
/// messages (<see cref="IShardMessage"/>) name their shard; control messages come in a <see cref="ShardingEnvelope"/>,
/// which the region unwraps itself before asking this extractor.
/// </summary>
public sealed class ShardMessageExtractor : IMessageExtractor
{
    public static string EntityIdOf(int shardId) => shardId.ToString(CultureInfo.InvariantCulture);

    public string? EntityId(object message) => message is IShardMessage m ? EntityIdOf(m.ShardId) : null;

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
