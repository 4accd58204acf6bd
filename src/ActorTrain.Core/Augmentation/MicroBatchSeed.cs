namespace ActorTrain.Core.Augmentation;

/// <summary>
/// The index of a micro-batch's random stream (augmentation, dropout): its epoch and number, never the worker that
/// computes it, so a micro-batch re-issued to another worker after a fault draws the same numbers and BSP stays bitwise
/// reproducible.
/// </summary>
public static class MicroBatchSeed
{
    public static ulong Key(int epoch, int microBatch) => ((ulong)(uint)epoch << 32) | (uint)microBatch;
}
