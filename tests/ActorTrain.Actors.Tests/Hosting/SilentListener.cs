using ActorTrain.Actors.Hosting;
using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Tests.Hosting;

/// <summary>Records what a job reports, for assertions.</summary>
internal sealed class SilentListener : IJobListener
{
    public List<ParametersEvaluated> Evaluations { get; } = [];

    public void OnProgress(JobProgressed progress)
    {
    }

    public void OnEvaluation(ParametersEvaluated evaluation)
    {
        lock (Evaluations) Evaluations.Add(evaluation);
    }

    public void OnModeChanged(ModeChanged changed)
    {
    }

    public void OnCompleted(JobCompleted completed)
    {
    }
}
