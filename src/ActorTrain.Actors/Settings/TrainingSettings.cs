namespace ActorTrain.Actors.Settings;

/// <summary>
/// actortrain.training: a micro-batch is what one worker computes at a time; a step (BSP's global batch) is
/// batch-size / micro-batch-size micro-batches, whoever computes them.
/// </summary>
public sealed record TrainingSettings(int MicroBatchSize, int BatchSize)
{
    public int MicroBatchesPerStep => BatchSize / MicroBatchSize;

    public static TrainingSettings Create(SettingsReader r)
    {
        var micro = r.Int("micro-batch-size", 1, 1_000_000);
        var batch = r.Int("batch-size", 1, 100_000_000);
        if (batch % micro != 0)
            throw r.Bad("batch-size", batch.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"a multiple of {r.Key("micro-batch-size")} ({micro})");
        return new TrainingSettings(micro, batch);
    }
}
