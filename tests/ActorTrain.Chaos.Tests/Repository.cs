namespace ActorTrain.Chaos.Tests;

/// <summary>The repository these tests were built from (for its shipped scenarios and job files).</summary>
internal static class Repository
{
    public static string Root { get; } = Find(AppContext.BaseDirectory);

    private static string Find(string from)
    {
        for (var d = new DirectoryInfo(from); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "ActorTrain.sln"))) return d.FullName;
        throw new InvalidOperationException($"no ActorTrain.sln above {from}");
    }
}
