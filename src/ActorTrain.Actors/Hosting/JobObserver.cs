using ActorTrain.Actors.Telemetry;
using ActorTrain.Actors.Protocol;
using Akka.Actor;

namespace ActorTrain.Actors.Hosting;

/// <summary>
/// Receives a job's progress, evaluations and completion, hands each to a callback (the CLI's display and
/// metrics file), and completes the given task with the final result.
/// </summary>
public sealed class JobObserver : ReceiveActor
{
    public JobObserver(IJobListener listener, TaskCompletionSource<JobCompleted> completion)
    {
        Receive<JobProgressed>(progress =>
        {
            ActorTrainMetrics.Progressed(progress);
            listener.OnProgress(progress);
        });
        Receive<ParametersEvaluated>(listener.OnEvaluation);
        Receive<ModeChanged>(listener.OnModeChanged);
        Receive<CheckpointRecorded>(listener.OnCheckpoint);
        Receive<CheckpointRestored>(listener.OnResumed);
        Receive<LearningRateChanged>(listener.OnLearningRateChanged);
        Receive<EarlyStopped>(listener.OnEarlyStopped);
        Receive<RolledBack>(listener.OnRolledBack);
        Receive<BestCheckpointMarked>(listener.OnBestCheckpoint);
        Receive<JobCompleted>(done =>
        {
            try
            {
                listener.OnCompleted(done);
            }
            finally
            {
                completion.TrySetResult(done);
            }
        });
    }

    public static Props Props(IJobListener listener, TaskCompletionSource<JobCompleted> completion) =>
        Akka.Actor.Props.Create(() => new JobObserver(listener, completion));
}
