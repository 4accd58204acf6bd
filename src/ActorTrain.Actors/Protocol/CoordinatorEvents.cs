using MessagePack;

namespace ActorTrain.Actors.Protocol;

/// <summary>
/// What the coordinator writes to its journal: the events it decided while the previous write was under way, as one
/// entry (one row), in order. Two events per micro-batch as rows of their own cost the job a quarter of its throughput;
/// batched, the journal keeps up at a fraction of that. Each element is an <see cref="ICoordinatorEvent"/> or a
/// <see cref="ModeChanged"/>, written with its manifest (<see cref="Serialization.CoordinatorEventsFormatter"/>).
/// </summary>
[MessagePackFormatter(typeof(Serialization.CoordinatorEventsFormatter))]
public sealed record CoordinatorEvents(IWireMessage[] Events) : IWireMessage;
