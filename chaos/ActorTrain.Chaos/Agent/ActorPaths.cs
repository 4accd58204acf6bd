using ActorTrain.Chaos.Scenarios;

namespace ActorTrain.Chaos.Agent;

/// <summary>
/// Where the actor a crash-actor fault names lives: its paths in one process and on a cluster node. A crash goes to the
/// actor itself, under its backoff supervisor (the shard, the coordinator, a worker, the evaluator), so the supervisor starts it again.
/// </summary>
public static class ActorPaths
{
    public static IEnumerable<string> Of(string target)
    {
        if (FaultReader.IsShard(target))
        {
            var shard = target[6..];
            yield return $"/user/shard-{shard}/shard";
            yield return $"/system/sharding/parameter-shard/*/{shard}/shard";
            yield break;
        }
        switch (target)
        {
            case "coordinator":
                yield return "/user/coordinator/coordinator";
                yield return "/user/coordinator/singleton/coordinator";
                break;
            case "evaluator":
                yield return "/user/evaluator/evaluator";
                break;
            default:
                yield return $"/user/{target}/worker";
                break;
        }
    }
}
