using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Worker or evaluator → shard: send me your weights once your version is at least
/// <see cref="MinVersion"/> (BSP's barrier: a step's weights exist only after the step before it is applied).
/// <see cref="Exact"/> asks for f32 whatever the job's wire encoding (final weights, evaluation). A worker gives its
/// id and <see cref="Clock"/> (the micro-batch the weights are for), which SSP's bound gates on; others give "" and -1.
/// <see cref="Incarnation"/> is the worker's: a newer one starts its SSP clock afresh, an older one's pulls place no clock.
/// <see cref="PullId"/> is echoed in the reply, so a reply to an abandoned pull is recognised.
/// <see cref="AtStep"/> (BSP) asks for the weights of exactly version <see cref="MinVersion"/>: a shard one step past it
/// answers with the weights it kept from before that step, so a micro-batch computed again (its first holder lost, or
/// its assignment lost with a coordinator) gives bitwise the gradient the first computation gave.
/// Reply: <see cref="ShardWeights"/>.
/// </summary>
[MessagePackObject]
public sealed record PullShard(
    [property: Key(0)] int ShardId,
    [property: Key(1)] long MinVersion,
    [property: Key(2)] bool Exact = false,
    [property: Key(3)] string WorkerId = "",
    [property: Key(4)] long Clock = -1,
    [property: Key(5)] long PullId = 0,
    [property: Key(6)] bool AtStep = false,
    [property: Key(7)] long Incarnation = 0) : IShardMessage;
