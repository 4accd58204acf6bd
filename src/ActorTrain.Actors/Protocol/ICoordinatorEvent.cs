namespace ActorTrain.Actors.Protocol;

/// <summary>
/// A decision of the coordinator, persisted in its journal under <c>&lt;run-id&gt;/coordinator</c> (besides these,
/// <see cref="ModeChanged"/> is journaled too). Replaying the events in order rebuilds its state exactly
/// (<see cref="Coordinator.CoordinatorState.Apply"/>), so a coordinator created again goes on where the last one was.
/// </summary>
public interface ICoordinatorEvent : IWireMessage;
