namespace ActorTrain.Actors.Worker;

/// <summary>A full flat weight vector being assembled from shard pulls, with the version each shard sent.</summary>
internal sealed class WeightsBuffer(int length, int shards)
{
    public float[] Values { get; } = new float[length];
    public long[] Versions { get; } = new long[shards];
    public int Missing { get; set; }
    public bool Filling { get; set; }
    public bool Complete { get; set; }

    /// <summary>The lowest shard version in the buffer: every shard has at least this many updates.</summary>
    public long Version => Versions.Min();

    /// <summary>The highest shard version in the buffer.</summary>
    public long NewestVersion => Versions.Max();

    public void StartFilling()
    {
        Missing = Versions.Length;
        Filling = true;
        Complete = false;
    }
}
