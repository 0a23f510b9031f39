using System.IO.Compression;
using WorkshopKit.Setup;

namespace WorkshopKit.Tests.Setup;

public class ElfVersionNeedsTests
{
    /// <summary>A pristine libLibTorchSharp.so, extracted from the TorchSharp .nupkg (the NuGet cache copy is already patched).</summary>
    private static string? PristineLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string nupkg = Path.Combine(packages, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg");
        if (!File.Exists(nupkg)) return null;
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so");
        if (entry is null) return null;
        string path = Path.Combine(Path.GetTempPath(), $"wk-elf-{Guid.NewGuid():N}.so");
        entry.ExtractToFile(path);
        return path;
    }

    [Fact]
    public void MarkWeakChangesExactlyOneFlagByteAndIsIdempotent()
    {
        string path = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache; run dotnet restore first.");
        try
        {
            byte[] before = File.ReadAllBytes(path);
            var need = Assert.Single(ElfVersionNeeds.Read(path), n => n.Version == "GLIBCXX_3.4.32");
            Assert.Equal("libstdc++.so.6", need.File);
            Assert.False(need.IsWeak);

            Assert.True(ElfVersionNeeds.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));
            byte[] after = File.ReadAllBytes(path);
            var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
            Assert.Equal([(int)need.FlagsOffset], changed);       // one byte: the low byte of vna_flags
            Assert.Equal(before[need.FlagsOffset] | 0x2, after[need.FlagsOffset]);

            Assert.False(ElfVersionNeeds.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_3.4.32"));
            Assert.Equal(after, File.ReadAllBytes(path));
            var weak = ElfVersionNeeds.Read(path).Where(n => n.IsWeak).Select(n => n.Version);
            Assert.Equal(["GLIBCXX_3.4.32"], weak);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ReadMatchesTheRequirementsReadelfListsForTorchSharp()
    {
        // readelf -V on libLibTorchSharp.so 0.107.0 lists 20 requirements from libstdc++.so.6 and 5 from libc.so.6.
        string path = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache.");
        try
        {
            var needs = ElfVersionNeeds.Read(path);
            Assert.Equal(20, needs.Count(n => n.File == "libstdc++.so.6"));
            Assert.Equal(5, needs.Count(n => n.File == "libc.so.6"));
            Assert.Contains(needs, n => n.File == "libgcc_s.so.1" && n.Version == "GCC_3.0");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AMissingRequirementIsAClearError()
    {
        string path = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache.");
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => ElfVersionNeeds.MarkWeak(path, "libstdc++.so.6", "GLIBCXX_9.9.9"));
            Assert.Contains("GLIBCXX_9.9.9", e.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ANonElfFileIsRejectedWithItsName()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "not a library");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(path); }
    }
}
