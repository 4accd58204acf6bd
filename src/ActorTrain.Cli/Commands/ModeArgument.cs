using System.Globalization;
using ActorTrain.Core.Consistency;

namespace ActorTrain.Cli.Commands;

/// <summary>
/// A mode as users write it on the command line: asp, bsp, ssp:s (SSP with bound s), local-sgd:H or diloco:H (rounds
/// of H micro-batches). The number is optional; without it the job's actortrain.job.staleness or inner-steps holds.
/// </summary>
public sealed record ModeArgument(string Mode, int? Staleness, int? InnerSteps)
{
    public static ModeArgument Parse(string text)
    {
        var colon = text.IndexOf(':');
        var mode = colon < 0 ? text : text[..colon];
        var local = ConsistencyModes.ByName.TryGetValue(mode, out var known) && known.IsLocal();
        if (colon < 0) return new ModeArgument(mode, null, null);
        if (!int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            throw new UsageException(local
                ? $"mode {text}: H must be a whole number of micro-batches, as in {mode}:8"
                : $"mode {text}: the SSP bound must be a whole number of clocks, as in ssp:3");
        return local ? new ModeArgument(mode, null, number) : new ModeArgument(mode, number, null);
    }
}
