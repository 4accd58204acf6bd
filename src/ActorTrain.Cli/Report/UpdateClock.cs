namespace ActorTrain.Cli.Report;

/// <summary>
/// Reads a time off a run's progress records for an update count: records that carry only their updates (an evaluation,
/// a mode change) are placed on the time axis where the run passed that many updates, linearly between two records.
/// </summary>
public sealed class UpdateClock
{
    private readonly ProgressPoint[] _points;

    public UpdateClock(IEnumerable<ProgressPoint> progress) => _points = [.. progress.OrderBy(p => p.Seconds)];

    /// <summary>Seconds at which the run reached <paramref name="updates"/>; null when no progress record says.</summary>
    public double? SecondsAt(long updates)
    {
        if (_points.Length == 0) return null;
        var previous = _points[0];
        if (updates <= previous.Updates) return previous.Seconds;
        foreach (var point in _points)
        {
            if (point.Updates >= updates)
            {
                var span = point.Updates - previous.Updates;
                return span == 0 ? point.Seconds : previous.Seconds + (point.Seconds - previous.Seconds) * (updates - previous.Updates) / span;
            }
            previous = point;
        }
        return _points[^1].Seconds;
    }
}
