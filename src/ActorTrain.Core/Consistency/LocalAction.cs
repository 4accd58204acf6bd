namespace ActorTrain.Core.Consistency;

/// <summary>What a worker under local SGD or DiLoCo does next, between two computations (<see cref="LocalRound.Next"/>).</summary>
public enum LocalAction
{
    /// <summary>Nothing now: a computation runs, or work, acks or weights are still to come.</summary>
    Wait,

    /// <summary>Close the round and push its pseudo-gradient.</summary>
    Close,

    /// <summary>Train the open round's next micro-batch.</summary>
    Step,

    /// <summary>Pull the weights a new round starts from.</summary>
    Pull,

    /// <summary>Open a new round on the pulled weights and train its first micro-batch.</summary>
    Open,
}
