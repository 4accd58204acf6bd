namespace ActorTrain.Actors.Protocol;

/// <summary>
/// A message for one parameter shard that names it. Cluster Sharding routes these straight to the shard's entity
/// (see <see cref="ParameterServer.ShardMessageExtractor"/>), without an envelope around their payload bytes.
/// </summary>
public interface IShardMessage : IWireMessage
{
    int ShardId { get; }
}
