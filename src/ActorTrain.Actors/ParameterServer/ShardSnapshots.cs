using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Consistency;
using ActorTrain.Core.Hyperparameters;
using ActorTrain.Core.Optimizers;
using ActorTrain.Torch.Codecs;

namespace ActorTrain.Actors.ParameterServer;

/// <summary>Turns a shard's applied state into a <see cref="ShardSnapshot"/> and back, exactly (f32).</summary>
public static class ShardSnapshots
{
    public static ShardSnapshot Capture(int shardId, long version, ShardOptimizer optimizer, PushDedup dedup)
    {
        var state = optimizer.Export();
        return new ShardSnapshot(shardId, version, Exact(state.Weights)!, Exact(state.First), Exact(state.Second), state.Started, state.Steps,
            [.. dedup.Export().Select(Row)]);
    }

    public static (ShardOptimizer Optimizer, PushDedup Dedup) Restore(ShardSnapshot snapshot, OptimizerSpec spec, int expectedLength)
    {
        var state = new OptimizerState(Floats(snapshot.Weights, expectedLength)!, Floats(snapshot.First, expectedLength),
            Floats(snapshot.Second, expectedLength), snapshot.Started, snapshot.Steps);
        var dedup = PushDedup.Import(snapshot.Dedup.Select(r => new DedupEntry(r.WorkerId, r.Incarnation, r.Watermark, r.AppliedAboveWatermark)));
        return (ShardOptimizer.Restore(state, spec), dedup);
    }

    /// <summary>
    /// Why an offered snapshot must not be loaded (unreadable bytes, a payload whose checksum does not match, the wrong
    /// shard or length), or null when it is whole. Checked before anything of it is restored.
    /// </summary>
    public static string? Problem(object offered, int shardId, int expectedLength) => offered switch
    {
        UnreadableShardSnapshot unreadable => unreadable.Reason,
        ShardSnapshot s when s.ShardId != shardId => $"it is shard {s.ShardId}'s",
        ShardSnapshot s => s.Weights is null ? "it has no weights"
            : s.Weights.Problem(expectedLength) ?? s.First?.Problem(expectedLength) ?? s.Second?.Problem(expectedLength),
        _ => $"it is a {offered.GetType().Name}, not a shard snapshot",
    };

    public static DedupRow Row(DedupEntry entry) => new(entry.WorkerId, entry.Incarnation, entry.Watermark, [.. entry.AppliedAboveWatermark]);

    private static TensorPayload? Exact(float[]? values) => values is null ? null : TensorPayload.Encode(values, PayloadEncoding.F32);

    private static float[]? Floats(TensorPayload? payload, int expectedLength)
    {
        if (payload is null) return null;
        if (payload.Problem(expectedLength) is { } problem) throw new InvalidDataException($"shard snapshot unusable: {problem}");
        var values = new float[expectedLength];
        payload.DecodeInto(values);
        return values;
    }
}
