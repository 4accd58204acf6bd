namespace ActorTrain.Torch.Training;

/// <summary>The loss summed over a micro-batch's samples, and how many samples it had.</summary>
public readonly record struct MicroBatchResult(float LossSum, int Samples)
{
    public float MeanLoss => Samples == 0 ? 0f : LossSum / Samples;
}
