using ActorTrain.Actors.Protocol;
using ActorTrain.Core.Numerics;
using ActorTrain.Core.Parameters;

namespace ActorTrain.Actors.Export;

/// <summary>
/// A run's model as its parameter shards last stored it: the flat f32 vector put together from each shard's newest
/// snapshot, each shard's version, and the vector's SHA-256 (<see cref="WeightsDigest"/>, the run's <c>weights_sha256</c>).
/// </summary>
public sealed record RunWeights(float[] Weights, IReadOnlyList<long> ShardVersions, string Sha256)
{
    /// <param name="snapshots">Shard i's snapshot at index i.</param>
    public static RunWeights Assemble(ShardLayout shards, IReadOnlyList<ShardSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count != shards.ShardCount)
            throw new ArgumentException($"{snapshots.Count} snapshots for {shards.ShardCount} shards", nameof(snapshots));
        var weights = new float[shards.TotalLength];
        var versions = new long[shards.ShardCount];
        foreach (var range in shards.Ranges)
        {
            var snapshot = snapshots[range.ShardId];
            var problem = snapshot.ShardId != range.ShardId
                ? $"it belongs to shard {snapshot.ShardId}"
                : snapshot.Weights.Problem(range.Length);
            if (problem != null)
                throw new ExportException($"shard {range.ShardId}'s snapshot does not fit the run's model ({problem}): is config.hocon " +
                                          "the one this run was started with?");
            snapshot.Weights.DecodeInto(weights.AsSpan(range.Start, range.Length));
            versions[range.ShardId] = snapshot.Version;
        }
        return new RunWeights(weights, versions, WeightsDigest.Sha256(weights));
    }
}
