using System.Diagnostics;

namespace ActorTrain.Torch.Data;

/// <summary>
/// Debian ships Fashion-MNIST as the package dataset-fashion-mnist (into /usr/share/datasets/fashion-mnist).
/// On a Debian-like system where this process is root, installing it is the first way to fetch the files:
/// the distribution's mirror is often reachable where the dataset's own site is not.
/// </summary>
internal static class DebianDatasetPackage
{
    public const string Name = "dataset-fashion-mnist";

    /// <summary>Installs the package if it can; returns what happened, for the not-found message.</summary>
    public static string TryInstall()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get")) return "apt-get is not available here.";
        if (Environment.UserName != "root") return $"not root, so `apt-get install {Name}` was not tried.";
        Console.Error.WriteLine($"Fashion-MNIST not found; installing the Debian package {Name}…");
        if (AptGet($"install -y -q {Name}") == 0) return "";
        AptGet("update -q");
        return AptGet($"install -y -q {Name}") == 0 ? "" : $"`apt-get install {Name}` failed.";
    }

    private static int AptGet(string arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
