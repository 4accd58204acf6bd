namespace ActorTrain.Chaos.Soak;

/// <summary>A generated scenario as HOCON text: its job and topology, and its faults one block each (so a shrink can drop some).</summary>
public sealed record GeneratedScenario(string Name, string Summary, string Head, IReadOnlyList<string> Faults, string Expect)
{
    public string Render(IEnumerable<int>? keep = null)
    {
        var faults = keep is null ? Faults : [.. keep.Select(i => Faults[i])];
        var list = faults.Count == 0 ? "[]" : $"[\n{string.Join("\n", faults.Select(f => "  " + f))}\n]";
        return $"{Head}\nchaos.faults = {list}\n{Expect}\n";
    }
}
