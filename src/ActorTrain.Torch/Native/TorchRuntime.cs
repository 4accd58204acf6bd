using TorchSharp;

namespace ActorTrain.Torch.Native;

/// <summary>
/// Makes TorchSharp usable before anything touches it: checks (and if need be patches) the native library
/// against this system's libstdc++, then turns TorchSharp's misleading type-initializer error into one that
/// says what is wrong. Call <see cref="EnsureReady"/> once per process, before any torch call.
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _ready;

    public static void EnsureReady()
    {
        lock (Gate)
        {
            if (_ready) return;
            PatchIfNeeded();
            Probe();
            _ready = true;
        }
    }

    /// <summary>
    /// Sets torch's intra-op thread count. It is process-wide and must not change while other threads run torch
    /// work, so each process sets it once, before any actor starts.
    /// </summary>
    public static void UseThreads(int threads)
    {
        EnsureReady();
        if (threads > 0 && torch.get_num_threads() != threads) torch.set_num_threads(threads);
    }

    private static void PatchIfNeeded()
    {
        var library = Path.Combine(AppContext.BaseDirectory, LibTorchSharpPatch.LibraryFileName);
        if (!File.Exists(library) || LibTorchSharpPatch.SystemDefines(LibTorchSharpPatch.RequiredVersion)) return;
        if (!LibTorchSharpPatch.NeedsVersionStrictly(library, LibTorchSharpPatch.RequiredVersion)) return;
        try
        {
            LibTorchSharpPatch.Apply(library);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorchUnavailableException(
                $"{library} needs {LibTorchSharpPatch.RequiredVersion} from libstdc++, which this system lacks, and it could not be " +
                $"patched ({e.Message}). Rebuild with `dotnet build` (the build patches it), make the file writable, " +
                "or install a libstdc++ from GCC 13 or newer.", e);
        }
    }

    private static void Probe()
    {
        try
        {
            using var probe = torch.ones(1);
        }
        catch (TypeInitializationException e)
        {
            throw new TorchUnavailableException(
                "TorchSharp's native library failed to load. TorchSharp's own message blames a missing libtorch package " +
                "reference, which is usually not the cause here: check that libLibTorchSharp.so and libtorch*.so sit next to " +
                $"the program in {AppContext.BaseDirectory} and that `ldd` finds all their dependencies. Inner error: " +
                (e.InnerException?.Message ?? e.Message), e);
        }
    }
}
