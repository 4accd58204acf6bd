namespace ActorTrain.Core.Parameters;

/// <summary>
/// The parts of the flat parameter vector that stay as they started (fine-tuning with frozen layers): the tensors whose
/// name is one of the names given, or starts with one followed by a dot ("conv1" freezes conv1.weight and conv1.bias).
/// </summary>
public sealed class FrozenRanges
{
    private readonly List<(int Offset, int Length)> _ranges;

    private FrozenRanges(List<(int Offset, int Length)> ranges, IReadOnlyList<string> tensors)
    {
        _ranges = ranges;
        Tensors = tensors;
    }

    public static FrozenRanges None { get; } = new([], []);

    /// <summary>The tensors frozen, in layout order.</summary>
    public IReadOnlyList<string> Tensors { get; }

    /// <summary>Every name must match a tensor: a name that matches none throws, naming the layout's tensors.</summary>
    public static FrozenRanges Of(ParameterLayout layout, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return None;
        var unknown = names.Where(n => !layout.Tensors.Any(t => Matches(t.Name, n))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"no parameter is named {string.Join(", ", unknown.Select(n => $"'{n}'"))} (or starts with it and a dot); " +
                                        $"the model's are {string.Join(", ", layout.Tensors.Select(t => t.Name))}", nameof(names));
        var frozen = layout.Tensors.Where(t => names.Any(n => Matches(t.Name, n))).ToList();
        var ranges = new List<(int Offset, int Length)>();
        foreach (var t in frozen)
        {
            // Tensors next to each other in the layout (a layer's weight and bias) make one range.
            if (ranges.Count > 0 && ranges[^1].Offset + ranges[^1].Length == t.Offset) ranges[^1] = (ranges[^1].Offset, ranges[^1].Length + t.Length);
            else ranges.Add((t.Offset, t.Length));
        }
        return new FrozenRanges(ranges, [.. frozen.Select(t => t.Name)]);
    }

    /// <summary>What of <paramref name="shard"/>'s range is frozen, relative to its start.</summary>
    public IReadOnlyList<(int Start, int Length)> Within(ShardRange shard)
    {
        var local = new List<(int Start, int Length)>();
        foreach (var (offset, length) in _ranges)
        {
            var start = Math.Max(offset, shard.Start);
            var end = Math.Min(offset + length, shard.End);
            if (start < end) local.Add((start - shard.Start, end - start));
        }
        return local;
    }

    private static bool Matches(string tensor, string name) => tensor == name || tensor.StartsWith(name + ".", StringComparison.Ordinal);
}
