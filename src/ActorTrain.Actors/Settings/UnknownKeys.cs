using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorTrain.Actors.Settings;

/// <summary>
/// Finds keys in a user's config that reference.conf does not define, under the given root: a misspelt
/// key must stop the run, not be silently ignored.
/// </summary>
public static class UnknownKeys
{
    public static IReadOnlyList<string> Find(Config user, Config reference, string root)
    {
        var unknown = new List<string>();
        if (!user.HasPath(root)) return unknown;
        Walk(user.GetValue(root), reference.HasPath(root) ? reference.GetValue(root) : null, root, unknown);
        return unknown;
    }

    private static void Walk(HoconValue user, HoconValue? reference, string path, List<string> unknown)
    {
        if (!user.IsObject()) return;
        if (reference is null || !reference.IsObject())
        {
            unknown.Add(path);
            return;
        }
        var known = reference.GetObject().Items;
        foreach (var (key, value) in user.GetObject().Items)
        {
            var child = $"{path}.{key}";
            if (!known.TryGetValue(key, out var referenceValue)) unknown.Add(child);
            else Walk(value, referenceValue, child, unknown);
        }
    }
}
