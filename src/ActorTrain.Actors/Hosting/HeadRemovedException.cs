namespace ActorTrain.Actors.Hosting;

/// <summary>
/// The head was removed from its own cluster (downed after it stopped answering: frozen, paused, partitioned) while the
/// job ran. It cannot finish the job any more; a standby coordinator node, if there is one, goes on with it.
/// </summary>
public sealed class HeadRemovedException(string message) : Exception(message);
