namespace ActorTrain.Core.Consistency;

/// <summary>How parameter shards combine the work of concurrent workers.</summary>
public enum ConsistencyMode
{
    /// <summary>Asynchronous: each push is applied on arrival (Downpour / Hogwild style).</summary>
    Asp,

    /// <summary>Bulk synchronous: a step's micro-batch gradients are summed in micro-batch order, then applied once.</summary>
    Bsp,

    /// <summary>Stale synchronous (bound s): applied on arrival, but a worker reads only while the slowest is within s clocks.</summary>
    Ssp,

    /// <summary>
    /// Local SGD (H): a worker trains H micro-batches on its own replica with the job's optimizer, then pushes the
    /// pseudo-gradient (start − end weights); shards apply it on arrival with plain SGD at the outer learning rate.
    /// </summary>
    LocalSgd,

    /// <summary>
    /// DiLoCo (H): as local SGD, but the inner optimizer is AdamW and the shards' outer optimizer is SGD with
    /// Nesterov momentum (Douillard et al., 2023), applied to each pseudo-gradient on arrival.
    /// </summary>
    DiLoCo,
}
