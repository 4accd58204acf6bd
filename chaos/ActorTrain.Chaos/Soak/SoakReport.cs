namespace ActorTrain.Chaos.Soak;

/// <summary>What a soak ran: one row per scenario, and the failures (each with its scenario file for replay).</summary>
public sealed record SoakReport(IReadOnlyList<SoakRow> Rows)
{
    public IReadOnlyList<SoakRow> Failed => [.. Rows.Where(r => !r.Passed)];
}

/// <summary>One scenario of a soak: its file, what it was, its verdict and the first failed expectation.</summary>
public sealed record SoakRow(string Name, string Summary, string Faults, bool Passed, double Seconds, string File, string FirstFailure);
