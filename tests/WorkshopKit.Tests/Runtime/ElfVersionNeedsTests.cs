using System.Diagnostics;
using System.IO.Compression;
using System.Text.RegularExpressions;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class ElfVersionNeedsTests
{
    /// <summary>A pristine libLibTorchSharp.so, extracted from the TorchSharp .nupkg (the NuGet cache copy is already patched).</summary>
    internal static string? PristineLibrary()
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

    /// <summary>binutils' readelf -V --wide output, the independent reference for the reader (it ships with gcc).</summary>
    private static string ReadElf(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("readelf", ["-V", "--wide", path]) { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("readelf could not be started; install binutils.");
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output;
    }

    private static string HostLibStdCxx() =>
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("No libstdc++.so.6 found in the usual folders.");

    [Fact]
    public void ReadListsEveryRequirementReadelfListsInOrderWithFlags()
    {
        // The partial reader (header, section table, .gnu.version_r, names by offset) against readelf's full parse,
        // on two different libraries: TorchSharp's binding and the host's libstdc++.
        string pristine = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache.");
        try
        {
            foreach (var path in new[] { pristine, HostLibStdCxx() })
            {
                string text = ReadElf(path);
                string needsPart = text[text.IndexOf("Version needs section", StringComparison.Ordinal)..];
                var expected = new List<(string File, string Name, bool Weak)>();
                string file = "";
                foreach (var line in needsPart.Split('\n'))
                {
                    var f = Regex.Match(line, @"File: (\S+)");
                    if (f.Success) { file = f.Groups[1].Value; continue; }
                    var n = Regex.Match(line, @"Name: (\S+)\s+Flags: (\S+)");
                    if (n.Success) expected.Add((file, n.Groups[1].Value, n.Groups[2].Value.Contains("WEAK", StringComparison.Ordinal)));
                }
                Assert.NotEmpty(expected);
                var actual = ElfVersionNeeds.Read(path).Select(x => (x.File, Name: x.Version, Weak: x.IsWeak)).ToList();
                Assert.Equal(expected, actual);
            }
        }
        finally { File.Delete(pristine); }
    }

    [Fact]
    public void ReadDefinitionsMatchesReadelfOnTheHostLibStdCxx()
    {
        string path = HostLibStdCxx();
        string text = ReadElf(path);
        int start = text.IndexOf("Version definition section", StringComparison.Ordinal);
        int end = text.IndexOf("Version needs section", start, StringComparison.Ordinal);
        // One "Rev:" line per definition; its Name is the definition's own (the first auxiliary entry).
        var expected = Regex.Matches(text[start..end], @"Rev: \d+\s+Flags: .*?Name: (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("GLIBCXX_3.4", expected);
        Assert.Equal(expected, ElfVersionNeeds.ReadDefinitions(path));
    }

    [Fact]
    public void ATruncatedLibraryIsRejectedWithItsName()
    {
        string pristine = PristineLibrary() ?? throw new InvalidOperationException("TorchSharp 0.107.0 is not in the NuGet cache.");
        string cut = pristine + ".cut";
        try
        {
            // Keep the header but drop the section table at the end of the file.
            byte[] bytes = File.ReadAllBytes(pristine);
            File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
            var e = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(cut));
            Assert.Contains(cut, e.Message, StringComparison.Ordinal);
            Assert.Contains("cut short", e.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(pristine); File.Delete(cut); }
    }
}
