namespace ActorTrain.Actors.Protocol;

/// <summary>
/// Marks a message that may cross a process boundary. reference.conf binds this interface to
/// <see cref="Serialization.ActorTrainSerializer"/>, so no message ever falls back to Akka's JSON serializer.
/// </summary>
public interface IWireMessage;
