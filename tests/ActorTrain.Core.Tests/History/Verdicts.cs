using ActorTrain.Core.Consistency;
using ActorTrain.Core.History;
using ActorTrain.Core.History.Invariants;

namespace ActorTrain.Core.Tests.History;

/// <summary>Runs the checker on a hand-built history and picks one invariant's verdict.</summary>
internal static class Verdicts
{
    public static readonly InvariantCheckOptions Bsp = new(ConsistencyMode.Bsp);
    public static readonly InvariantCheckOptions Asp = new(ConsistencyMode.Asp);

    public static InvariantVerdict Of(int number, InvariantCheckOptions options, params HistoryEvent[] history) =>
        InvariantChecker.Check(history, options).Single(v => v.Number == number);

    public static PushId P(string worker, long incarnation, long seq) => new(worker, incarnation, seq);
}
