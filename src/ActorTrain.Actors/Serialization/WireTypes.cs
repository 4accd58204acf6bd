using System.Collections.Frozen;
using ActorTrain.Actors.Protocol;

namespace ActorTrain.Actors.Serialization;

/// <summary>
/// Every wire message type and its manifest (the type's short name). Manifests are written into persisted
/// data and onto the wire: renaming a message type is a protocol change.
/// </summary>
public static class WireTypes
{
    public static readonly FrozenDictionary<string, Type> ByManifest =
        typeof(IWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IWireMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> ManifestByType = ByManifest.ToFrozenDictionary(p => p.Value, p => p.Key);

    public static string ManifestOf(Type type) =>
        ManifestByType.TryGetValue(type, out var manifest)
            ? manifest
            : throw new ArgumentException($"{type.FullName} is not a wire message (it does not implement {nameof(IWireMessage)})");

    public static Type TypeOf(string manifest) =>
        ByManifest.TryGetValue(manifest, out var type)
            ? type
            : throw new ArgumentException($"unknown wire manifest '{manifest}': the sender runs a different ActorTrain protocol");
}
