using ActorTrain.Torch.Native;
using Xunit;

namespace ActorTrain.Torch.Tests.Native;

public sealed class LibTorchSharpPatchTests : IDisposable
{
    private readonly string _copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");

    /// <summary>The unpatched library as NuGet delivered it.</summary>
    private static string Original()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibTorchSharpPatch.LibraryFileName);
    }

    [Fact]
    public void The_version_need_is_made_weak_once_and_a_second_run_changes_nothing()
    {
        File.Copy(Original(), _copy);
        Assert.True(LibTorchSharpPatch.NeedsVersionStrictly(_copy, LibTorchSharpPatch.RequiredVersion));

        Assert.Equal(PatchOutcome.Patched, LibTorchSharpPatch.MakeVersionNeedWeak(_copy, LibTorchSharpPatch.RequiredVersion));
        var once = File.ReadAllBytes(_copy);
        Assert.False(LibTorchSharpPatch.NeedsVersionStrictly(_copy, LibTorchSharpPatch.RequiredVersion));

        Assert.Equal(PatchOutcome.AlreadyWeak, LibTorchSharpPatch.MakeVersionNeedWeak(_copy, LibTorchSharpPatch.RequiredVersion));
        Assert.Equal(once, File.ReadAllBytes(_copy));

        // Exactly two bytes (one vna_flags field) differ from the original.
        var original = File.ReadAllBytes(Original());
        Assert.Equal(original.Length, once.Length);
        Assert.InRange(original.Zip(once).Count(p => p.First != p.Second), 1, 2);
    }

    [Fact]
    public void A_version_the_library_does_not_need_is_reported_not_invented()
    {
        File.Copy(Original(), _copy);
        Assert.Equal(PatchOutcome.NoSuchVersionNeed, LibTorchSharpPatch.MakeVersionNeedWeak(_copy, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void The_system_libstdcxx_versions_are_read_from_its_version_definitions()
    {
        var lib = LibTorchSharpPatch.FindSystemLibStdCxx();
        Assert.NotNull(lib);
        var versions = LibTorchSharpPatch.DefinedVersions(File.ReadAllBytes(lib));
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused_with_its_name()
    {
        File.WriteAllText(_copy, "not an elf file at all, but long enough to have a header of sixty-four bytes....");
        var e = Assert.Throws<InvalidDataException>(() => LibTorchSharpPatch.MakeVersionNeedWeak(_copy, "X"));
        Assert.Contains(_copy, e.Message);
    }

    public void Dispose() => File.Delete(_copy);
}
