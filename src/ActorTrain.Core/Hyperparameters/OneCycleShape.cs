namespace ActorTrain.Core.Hyperparameters;

/// <summary>
/// PyTorch's OneCycleLR (Smith and Topin, 2017), computed exactly as its <c>get_lr</c> does: from
/// max / <see cref="DivFactor"/> up to max over the first <see cref="PctStart"/> of the updates, then down to
/// max / div-factor / <see cref="FinalDivFactor"/> at the last; with <see cref="ThreePhase"/>, back down to the start
/// rate over as many updates as the rise took, then on to the minimum. Past the last update the rate stays at the
/// minimum (PyTorch raises instead). Momentum cycling is not part of it.
/// </summary>
public sealed record OneCycleShape(
    double PctStart = 0.3,
    AnnealStrategy Anneal = AnnealStrategy.Cos,
    double DivFactor = 25,
    double FinalDivFactor = 1e4,
    bool ThreePhase = false)
{
    /// <summary>The rate for <paramref name="update"/> (0-based) of <paramref name="totalUpdates"/>, peaking at <paramref name="maxRate"/>.</summary>
    public double At(double maxRate, long totalUpdates, long update)
    {
        var initial = maxRate / DivFactor;
        var minimum = initial / FinalDivFactor;
        var total = Math.Max(1, totalUpdates);
        var step = Math.Clamp(update, 0, total - 1);
        // (end step, start rate, end rate) per phase, as OneCycleLR's _schedule_phases.
        (double End, double From, double To)[] phases = ThreePhase
            ? [(PctStart * total - 1, initial, maxRate), (2 * PctStart * total - 2, maxRate, initial), (total - 1, initial, minimum)]
            : [(PctStart * total - 1, initial, maxRate), (total - 1, maxRate, minimum)];
        double start = 0;
        for (var i = 0; ; i++)
        {
            var (end, from, to) = phases[i];
            if (step <= end || i == phases.Length - 1) return Interpolate((step - start) / (end - start), from, to);
            start = end;
        }
    }

    private double Interpolate(double pct, double from, double to) => Anneal switch
    {
        AnnealStrategy.Linear => (to - from) * pct + from,
        _ => to + (from - to) / 2.0 * (Math.Cos(Math.PI * pct) + 1),
    };
}
