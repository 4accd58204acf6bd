namespace ActorTrain.Core.History.Invariants;

/// <summary>Collects an invariant's violations, keeping the first few to name in the verdict.</summary>
internal sealed class Violations
{
    private const int Named = 3;
    private readonly List<string> _first = [];

    public int Count { get; private set; }

    public void Add(string violation)
    {
        if (_first.Count < Named) _first.Add(violation);
        Count++;
    }

    /// <summary>The verdict: holds with <paramref name="holdsDetail"/> when nothing was added, otherwise names the violations.</summary>
    public InvariantVerdict Verdict(int number, string name, string holdsDetail) =>
        Count == 0
            ? new InvariantVerdict(number, name, true, holdsDetail)
            : new InvariantVerdict(number, name, false, string.Join("; ", _first) + (Count > Named ? $"; and {Count - Named} more" : ""));
}
