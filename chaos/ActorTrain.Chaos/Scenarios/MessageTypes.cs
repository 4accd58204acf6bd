using ActorTrain.Actors.Protocol;

namespace ActorTrain.Chaos.Scenarios;

/// <summary>The ActorTrain wire messages a message fault may name (their type names, e.g. PushGradients).</summary>
public static class MessageTypes
{
    private static readonly Dictionary<string, Type> ByName = typeof(IWireMessage).Assembly.GetTypes()
        .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
        .ToDictionary(t => t.Name, t => t);

    public static IEnumerable<string> Examples => ["PushGradients", "GradientsApplied", "PullShard", "ShardWeights", "RequestWork", "WorkAssigned", "BatchCompleted"];

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static Type Of(string name) => ByName[name];
}
