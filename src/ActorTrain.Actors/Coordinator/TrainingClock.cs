using System.Diagnostics;
using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Data;

namespace ActorTrain.Actors.Coordinator;

/// <summary>
/// The coordinator's sense of time and pace, never persisted: training time runs from the first worker's request (a
/// worker process's start-up is not training time) to the last commit; loss and samples add up between progress reports.
/// </summary>
internal sealed class TrainingClock
{
    private readonly Stopwatch _clock = new();
    private double _lossSinceTick;
    private long _samplesSinceTick;
    private TimeSpan _lastTick;
    private TimeSpan? _trainingTime;

    public double WallSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>This session's training time: until <see cref="TrainingOver"/>, or until now.</summary>
    public double TrainingSeconds => (_trainingTime ?? _clock.Elapsed).TotalSeconds;

    public void WorkRequested()
    {
        if (!_clock.IsRunning) _clock.Start();
    }

    public void Committed(int samples, float lossSum)
    {
        _samplesSinceTick += samples;
        _lossSinceTick += lossSum;
    }

    public void TrainingOver() => _trainingTime ??= _clock.Elapsed;

    /// <summary>A progress report on what happened since the last one.</summary>
    public JobProgressed Tick(BatchPlan plan, CoordinatorState state)
    {
        var now = _clock.Elapsed;
        var progress = JobReport.Progress(plan, state, _lossSinceTick, _samplesSinceTick, (now - _lastTick).TotalSeconds, now.TotalSeconds);
        _lastTick = now;
        _lossSinceTick = 0;
        _samplesSinceTick = 0;
        return progress;
    }
}
