using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Worker;

/// <summary>
/// One pull's worth of weights: each shard's payload as it arrived, and its version. Nothing is decoded here;
/// the training thread loads the payloads straight into the model.
/// </summary>
internal sealed class WeightsBuffer(int shards)
{
    public TensorPayload?[] Payloads { get; } = new TensorPayload?[shards];
    public long[] Versions { get; } = new long[shards];
    public int Missing { get; set; }
    public bool Filling { get; set; }
    public bool Complete { get; set; }

    /// <summary>The worker clock these weights were pulled for (SSP serves a pull only within the bound of it).</summary>
    public long Clock { get; private set; } = -1;

    /// <summary>The lowest shard version in the buffer: every shard has at least this many updates.</summary>
    public long Version => Versions.Min();

    /// <summary>The highest shard version in the buffer.</summary>
    public long NewestVersion => Versions.Max();

    /// <summary>When the pull filling this buffer was sent.</summary>
    public DateTime StartedAt { get; private set; }

    /// <summary>The version the pull filling this buffer asked for.</summary>
    public long PulledFor { get; private set; }

    /// <summary>
    /// BSP: whether these are the weights to compute a micro-batch of step <paramref name="step"/> on: every shard at
    /// exactly that version, or, when a pull asked for exactly that and a shard could not go back (it is two steps past,
    /// or restarted since), the nearest it had.
    /// </summary>
    public bool IsFor(long step) => Complete && Version >= step && (NewestVersion == step || PulledFor == step);

    public void StartFilling(long clock, long pulledFor)
    {
        Clock = clock;
        PulledFor = pulledFor;
        StartedAt = DateTime.UtcNow;
        Missing = Versions.Length;
        Array.Clear(_received);
        Filling = true;
        Complete = false;
    }

    private readonly bool[] _received = new bool[shards];

    /// <summary>Whether the pull filling this buffer has shard <paramref name="shardId"/>'s weights yet.</summary>
    public bool Has(int shardId) => _received[shardId];

    public void Add(ShardWeights weights)
    {
        if (_received[weights.ShardId]) return; // a repeated reply (a re-pulled shard answering twice)
        _received[weights.ShardId] = true;
        Payloads[weights.ShardId] = weights.Weights;
        Versions[weights.ShardId] = weights.Version;
        if (--Missing > 0) return;
        Filling = false;
        Complete = true;
    }
}
