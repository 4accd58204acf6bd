namespace ActorTrain.Core.Wire;

/// <summary>
/// Which chunked message a chunk belongs to: its sender (an id, and the incarnation that tells a restarted
/// sender from its predecessor), the shard the message concerns, and the sender's sequence number for it.
/// Chunks of the same key must carry the same bytes: a resend of a message reuses its key, so it can fill the
/// holes an earlier send left.
/// </summary>
public sealed record ChunkKey(string Sender, long Incarnation, int ShardId, long Seq)
{
    public override string ToString() => $"{Sender}#{Incarnation} shard {ShardId} seq {Seq}";
}
