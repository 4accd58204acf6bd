namespace ActorTrain.Core.Consistency;

/// <summary>Where a switch to or from BSP stands (<see cref="StepBoundarySwitch.Decide"/>).</summary>
public enum SwitchProgress
{
    /// <summary>The boundary is not reached: micro-batches before it are still to be handed out, in the current mode.</summary>
    Assign,

    /// <summary>At the boundary: nothing more is handed out until every micro-batch before it is committed.</summary>
    Drain,

    /// <summary>Everything before the boundary is committed (so every push is applied on every shard): switch now.</summary>
    Switch,
}
