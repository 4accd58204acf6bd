namespace ActorTrain.Actors.Settings;

/// <summary>
/// How quickly a silent node is declared unreachable and then downed (removed, its work re-issued), as two profiles.
/// <see cref="Lan"/>: a second's heartbeat, 3 s of tolerated silence and 5 s of stability before the split-brain
/// resolver downs — a dead worker's micro-batches go to others within about 4 s (the coordinator re-issues on
/// unreachability), a dead ps node's shards move within about 10 s. <see cref="LongRun"/>: for weeks on flaky nodes,
/// where a GC pause or a congested link must not cost a node: 20 s of tolerated silence, 30 s of stability.
/// Keys a job sets under akka.cluster win over the profile.
/// </summary>
public enum FailureDetection
{
    Lan,
    LongRun,
}
