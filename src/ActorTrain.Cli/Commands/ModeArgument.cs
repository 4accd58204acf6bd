using System.Globalization;

namespace ActorTrain.Cli.Commands;

/// <summary>A mode as users write it on the command line: asp, bsp, or ssp:s (SSP with bound s).</summary>
public static class ModeArgument
{
    public static (string Mode, int? Staleness) Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0) return (text, null);
        return int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var staleness)
            ? (text[..colon], staleness)
            : throw new UsageException($"mode {text}: the SSP bound must be a whole number of clocks, as in ssp:3");
    }
}
