namespace ActorTrain.Core.Data;

/// <summary>What the ledger did with a completion report.</summary>
public enum CompletionOutcome
{
    Completed,
    CompletedEpoch,
    AlreadyCompleted,
    NotAssigned,
    HeldByAnother,
}
