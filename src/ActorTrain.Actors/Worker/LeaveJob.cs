using Akka.Actor;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// Its node → a worker: the node is leaving. The worker starts nothing new, finishes and commits what it is
/// computing, hands the rest back (<see cref="Protocol.HandBackWork"/>), then stops. Local only.
/// </summary>
public sealed class LeaveJob : INoSerializationVerificationNeeded
{
    public static readonly LeaveJob Instance = new();

    private LeaveJob()
    {
    }
}
