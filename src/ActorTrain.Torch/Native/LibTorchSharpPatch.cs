// This file is compiled twice: into ActorTrain.Torch (runtime check) and, through
// LibTorchSharpPatch.targets (beside it), into an inline MSBuild task that patches every build output.
// It therefore uses only the BCL and states its usings and nullability explicitly.
#nullable enable
#pragma warning disable IDE0005 // the inline-task compile has no implicit usings
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
#pragma warning restore IDE0005

namespace ActorTrain.Torch.Native
{
    /// <summary>What <see cref="LibTorchSharpPatch.Apply"/> did to a file.</summary>
    public enum PatchOutcome
    {
        /// <summary>The system libstdc++ already defines the version: nothing to do.</summary>
        NotNeeded,
        /// <summary>The file does not ask for the version at all.</summary>
        NoSuchVersionNeed,
        /// <summary>The version need was already weak (patched before): nothing changed.</summary>
        AlreadyWeak,
        /// <summary>The version need was made weak just now.</summary>
        Patched,
    }

    /// <summary>
    /// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and names
    /// <c>std::ios_base_library_init()@GLIBCXX_3.4.32</c>. GCC 13's iostream plants that reference only
    /// to force the link; nothing calls it. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the loader
    /// refuses the library. Setting VER_FLG_WEAK on that version-needed entry (.gnu.version_r) makes the
    /// loader tolerate the missing version, and the library loads and trains.
    /// </summary>
    public static class LibTorchSharpPatch
    {
        public const string RequiredVersion = "GLIBCXX_3.4.32";
        public const string LibraryFileName = "libLibTorchSharp.so";

        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        private static readonly string[] LibStdCxxDirectories =
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib", "/lib",
            "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
        };

        /// <summary>The system's libstdc++.so.6, or null when none is found in the usual places.</summary>
        public static string? FindSystemLibStdCxx()
        {
            foreach (var dir in LibStdCxxDirectories)
            {
                var path = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(path)) return path;
            }
            return null;
        }

        /// <summary>True when the system libstdc++ defines <paramref name="version"/> (or none was found to ask).</summary>
        public static bool SystemDefines(string version)
        {
            var lib = FindSystemLibStdCxx();
            return lib == null || DefinedVersions(File.ReadAllBytes(lib)).Contains(version);
        }

        /// <summary>
        /// Makes the <see cref="RequiredVersion"/> need of <paramref name="path"/> weak when the system lacks
        /// that version. Running it twice changes nothing the second time.
        /// </summary>
        public static PatchOutcome Apply(string path)
        {
            if (SystemDefines(RequiredVersion)) return PatchOutcome.NotNeeded;
            return MakeVersionNeedWeak(path, RequiredVersion);
        }

        /// <summary>Sets VER_FLG_WEAK on the version-needed entry named <paramref name="version"/>.</summary>
        public static PatchOutcome MakeVersionNeedWeak(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var flagsOffset = FindVersionNeedFlags(bytes, version, path);
            if (flagsOffset < 0) return PatchOutcome.NoSuchVersionNeed;
            var flags = U16(bytes, flagsOffset);
            if ((flags & VerFlagWeak) != 0) return PatchOutcome.AlreadyWeak;
            var weak = flags | VerFlagWeak;
            var patched = new[] { (byte)(weak & 0xff), (byte)(weak >> 8) };
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.Position = flagsOffset;
                stream.Write(patched, 0, 2);
            }
            return PatchOutcome.Patched;
        }

        /// <summary>True when the file needs <paramref name="version"/> and that need is not weak.</summary>
        public static bool NeedsVersionStrictly(string path, string version)
        {
            var bytes = File.ReadAllBytes(path);
            var flagsOffset = FindVersionNeedFlags(bytes, version, path);
            return flagsOffset >= 0 && (U16(bytes, flagsOffset) & VerFlagWeak) == 0;
        }

        /// <summary>File offset of the vna_flags field of the named version need, or -1.</summary>
        private static int FindVersionNeedFlags(byte[] elf, string version, string path)
        {
            foreach (var section in Sections(elf, path))
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strings = SectionAt(elf, section.Link, path);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    var count = U16(elf, entry + 2);
                    long aux = entry + U32(elf, entry + 8);
                    for (int j = 0; j < count; j++)
                    {
                        if (CString(elf, strings.Offset + U32(elf, aux + 8)) == version) return checked((int)(aux + 4));
                        aux += U32(elf, aux + 12);
                    }
                    entry += U32(elf, entry + 12);
                }
            }
            return -1;
        }

        /// <summary>The symbol versions an ELF shared library defines (.gnu.version_d).</summary>
        public static HashSet<string> DefinedVersions(byte[] elf)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in Sections(elf, "libstdc++"))
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strings = SectionAt(elf, section.Link, "libstdc++");
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    long aux = entry + U32(elf, entry + 12);
                    names.Add(CString(elf, strings.Offset + U32(elf, aux)));
                    entry += U32(elf, entry + 16);
                }
            }
            return names;
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, uint link, uint info) { Type = type; Offset = offset; Link = link; Info = info; }
            public uint Type { get; }
            public long Offset { get; }
            public uint Link { get; }
            public uint Info { get; }
        }

        private static IEnumerable<Section> Sections(byte[] elf, string path)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{path} is not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file; only those are supported.");
            var count = U16(elf, 0x3C);
            for (int i = 0; i < count; i++) yield return SectionAt(elf, (uint)i, path);
        }

        private static Section SectionAt(byte[] elf, uint index, string path)
        {
            long table = (long)U64(elf, 0x28);
            long header = table + (long)index * U16(elf, 0x3A);
            if (header + 64 > elf.Length) throw new InvalidDataException($"{path}: section header {index} lies past the end of the file.");
            return new Section(
                U32(elf, header + 4),
                (long)U64(elf, header + 24),
                U32(elf, header + 40),
                U32(elf, header + 44));
        }

        // Little-endian reads by hand: the MSBuild inline-task compiler sees only netstandard references.
        private static ushort U16(byte[] b, long at) => (ushort)(b[at] | b[at + 1] << 8);
        private static uint U32(byte[] b, long at) => U16(b, at) | (uint)U16(b, at + 2) << 16;
        private static ulong U64(byte[] b, long at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

        private static string CString(byte[] b, long at)
        {
            int start = checked((int)at), end = start;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, start, end - start);
        }
    }

#if !ACTORTRAIN_TORCH
    /// <summary>The MSBuild task: patches every libLibTorchSharp.so copied into a build output.</summary>
    public sealed class PatchLibTorchSharp : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required]
        public string OutputDirectory { get; set; } = "";

        public override bool Execute()
        {
            var path = Path.Combine(OutputDirectory, LibTorchSharpPatch.LibraryFileName);
            if (!File.Exists(path)) return true;
            try
            {
                var outcome = LibTorchSharpPatch.Apply(path);
                if (outcome == PatchOutcome.Patched)
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                        $"ActorTrain: made the {LibTorchSharpPatch.RequiredVersion} need of {path} weak (system libstdc++ lacks it).");
                return true;
            }
            catch (Exception e)
            {
                Log.LogError($"ActorTrain could not patch {path} so that TorchSharp loads with this system's libstdc++ " +
                             $"(it lacks {LibTorchSharpPatch.RequiredVersion}): {e.Message}. Check that the file is writable, " +
                             "or install a libstdc++ from GCC 13 or newer.");
                return false;
            }
        }
    }
#endif
}
