using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Hosting;

/// <summary>What a job reports while it runs. Called from an actor: implementations must be quick.</summary>
public interface IJobListener
{
    void OnProgress(JobProgressed progress);
    void OnEvaluation(ParametersEvaluated evaluation);
    void OnModeChanged(ModeChanged changed);
    void OnCompleted(JobCompleted completed);

    /// <summary>A checkpoint is complete: a resume may start from it.</summary>
    void OnCheckpoint(CheckpointRecorded checkpoint)
    {
    }

    /// <summary>A learning-rate change is persisted (a policy's or a person's); the shards apply it from its update.</summary>
    void OnLearningRateChanged(LearningRateChanged changed)
    {
    }

    /// <summary>A complete checkpoint holds the best evaluation so far; <c>export --checkpoint best</c> writes it.</summary>
    void OnBestCheckpoint(BestCheckpointMarked best)
    {
    }

    /// <summary>Training diverged and the run goes back to a checkpoint, skipping the trouble's micro-batches.</summary>
    void OnRolledBack(RolledBack rolledBack)
    {
    }

    /// <summary>Training ends before its planned epochs; the final evaluation follows.</summary>
    void OnEarlyStopped(EarlyStopped stopped)
    {
    }

    /// <summary>This run resumed a stopped one from a checkpoint (id 0: from the start).</summary>
    void OnResumed(CheckpointRestored restored)
    {
    }
}
