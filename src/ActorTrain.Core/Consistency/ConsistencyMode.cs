namespace ActorTrain.Core.Consistency;

/// <summary>How parameter shards combine the gradients of concurrent workers.</summary>
public enum ConsistencyMode
{
    /// <summary>Asynchronous: each push is applied on arrival (Downpour / Hogwild style).</summary>
    Asp,

    /// <summary>Bulk synchronous: a step's micro-batch gradients are summed in micro-batch order, then applied once.</summary>
    Bsp,

    /// <summary>Stale synchronous (bound s): applied on arrival, but a worker reads only while the slowest is within s clocks.</summary>
    Ssp,
}
