using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class TorchRuntimeTests
{
    [Fact]
    public void Conv2dRunsOnThisHostAndMatchesAHandComputedSum()
    {
        // 1x1x3x3 input 1..9 and an all-ones 2x2 kernel: each output is the sum of a 2x2 window.
        using var x = arange(1, 10, dtype: ScalarType.Float32).reshape(1, 1, 3, 3);
        using var w = ones(1, 1, 2, 2);
        using var y = nn.functional.conv2d(x, w);
        float[] expected = [1 + 2 + 4 + 5, 2 + 3 + 5 + 6, 4 + 5 + 7 + 8, 5 + 6 + 8 + 9];
        Assert.Equal(expected, y.data<float>().ToArray());
    }

    [Fact]
    public void InitializeIsIdempotentAndReportsTheEnvironment()
    {
        var first = TorchRuntime.Initialize();
        var second = TorchRuntime.Initialize();
        Assert.Same(first, second);
        Assert.Equal("0.107.0", first.TorchSharpVersion);
        Assert.True(first.Threads >= 1);
        Assert.Contains("TorchSharp: 0.107.0", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnOldLibStdCxxTheUnusedRequirementIsWeakAndNothingElseChanged()
    {
        if (!OperatingSystem.IsLinux() || TorchRuntime.HostLibStdCxxDefines(TorchRuntime.UnusedGlibcxxVersion) != false)
            return; // the edit is only made, and only needed, on hosts that lack GLIBCXX_3.4.32
        var candidates = TorchRuntime.LibTorchSharpCandidates().ToList();
        Assert.NotEmpty(candidates);
        foreach (var path in candidates)
        {
            var needs = ElfVersionNeeds.Read(path);
            var weak = needs.Where(n => n.IsWeak).Select(n => n.Version).ToList();
            Assert.Equal([TorchRuntime.UnusedGlibcxxVersion], weak);
        }
    }

    /// <summary>The constant names the NuGet cache folder the module initializer searches; a package bump must update it.</summary>
    [Fact]
    public void TheCompiledTorchSharpVersionIsTheOneLoaded()
    {
        Assert.Equal(LibTorchSharpPatch.CompiledTorchSharpVersion, typeof(torch).Assembly.GetName().Version!.ToString(3));
    }

    /// <summary>
    /// The consolidation folders the module initializer probes are the ones TorchSharp itself names: its CUDA folder name
    /// is a string literal in TorchSharp.dll (read here from the assembly's metadata), and "cpu" is the other.
    /// </summary>
    [Fact]
    public void TheProbedConsolidationFoldersAreTheOnesTorchSharpNames()
    {
        using var stream = File.OpenRead(typeof(torch).Assembly.Location);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var literals = new HashSet<string>(StringComparer.Ordinal);
        var handle = System.Reflection.Metadata.Ecma335.MetadataTokens.UserStringHandle(1);
        while (!handle.IsNil)
        {
            literals.Add(metadata.GetUserString(handle));
            handle = System.Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetNextHandle(metadata, handle);
        }
        var cudaFolders = literals.Where(s => System.Text.RegularExpressions.Regex.IsMatch(s, @"^cuda-\d+\.\d+$")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(cudaFolders);
        Assert.Contains("cpu", literals);
        Assert.Equal(["cpu", .. cudaFolders], LibTorchSharpPatch.ConsolidatedFolders);
    }

    /// <summary>The package cache the initializer searches is the one NuGet reports (<c>dotnet nuget locals global-packages --list</c>).</summary>
    [Fact]
    public void TheNuGetPackagesFolderIsTheOneNuGetReports()
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", "nuget locals global-packages --list") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = System.Diagnostics.Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        const string Prefix = "global-packages: ";
        string line = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        Assert.Equal(Path.TrimEndingDirectorySeparator(line[Prefix.Length..]), Path.TrimEndingDirectorySeparator(BundledLibTorch.NuGetPackagesFolder()));
    }
}
