namespace ActorTrain.Torch.Data;

/// <summary>Where Fashion-MNIST is searched for, in order, and what to tell the user when it is nowhere.</summary>
internal static class FashionMnistLocations
{
    public const string DataVariable = "ACTORTRAIN_DATA";
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// The configured path, then <c>ACTORTRAIN_DATA</c>, then the Debian package's folder, then the download
    /// caches (<c>$XDG_CACHE_HOME/actortrain</c> when set, and <c>~/.cache/actortrain</c>).
    /// </summary>
    public static IReadOnlyList<DataDirectoryCandidate> Candidates(
        string? configuredPath, Func<string, string?> environment, string userProfile)
    {
        var candidates = new List<DataDirectoryCandidate>();
        if (!string.IsNullOrWhiteSpace(configuredPath))
            candidates.Add(new DataDirectoryCandidate(configuredPath, "configured path, actortrain.data.path"));
        var fromEnvironment = environment(DataVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            candidates.Add(new DataDirectoryCandidate(fromEnvironment, DataVariable));
        candidates.Add(new DataDirectoryCandidate(DebianDirectory, "Debian package dataset-fashion-mnist"));
        candidates.AddRange(CacheDirectories(environment, userProfile).Select(dir => new DataDirectoryCandidate(dir, "download cache")));
        return candidates;
    }

    /// <summary>The download caches, the one downloads go into first.</summary>
    public static IReadOnlyList<string> CacheDirectories(Func<string, string?> environment, string userProfile)
    {
        var caches = new List<string>();
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        var xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            caches.Add(Path.Combine(xdg, "actortrain"));
        var home = Path.Combine(userProfile, ".cache", "actortrain");
        if (!caches.Contains(home)) caches.Add(home);
        return caches;
    }

    public static string NotFoundMessage(IReadOnlyList<DataDirectoryCandidate> candidates, string downloadOutcome)
    {
        var lines = candidates.Select(c =>
        {
            var missing = FashionMnistFiles.Missing(c.Path);
            var what = !Directory.Exists(c.Path) ? "folder does not exist"
                : "missing " + string.Join(", ", missing.Select(name => name + "[.gz]"));
            return $"  {c.Path} ({c.Origin}): {what}";
        });
        return "Fashion-MNIST was not found. Looked for the four IDX files (" +
               string.Join(", ", FashionMnistFiles.All) + ", each raw or .gz) in:\n" +
               string.Join("\n", lines) + "\n" +
               downloadOutcome + "\n" +
               $"To get the files: `apt-get install dataset-fashion-mnist` (Debian puts them in {DebianDirectory}), " +
               $"or set {DataVariable} or actortrain.data.path to a folder holding the four IDX files.";
    }
}
