using System.Diagnostics;
using System.Text.Json;
using WorkshopKit.Runner;

namespace WorkshopKit.Notebooks.Tests;

public sealed class TorchPackageTests : IDisposable
{
    private readonly string copy = Directory.CreateTempSubdirectory("workshopkit-torchpkg-").FullName;

    public void Dispose() => Directory.Delete(copy, recursive: true);

    [Fact]
    public void Repository_notebooks_agree_with_Directory_Build_props()
    {
        string expected = TorchPackageSetting.ReadBuildProperty(RepoRoot.Path);

        Assert.Contains(expected, TorchPackageSetting.KnownPackages);
        var disagreements = TorchPackageSetting.Disagreements(RepoRoot.Path, expected);
        Assert.True(disagreements.Count == 0,
            $"notebooks naming another package than {expected}: {string.Join(", ", disagreements.Select(d => $"{Path.GetFileName(d.NotebookPath)} ({d.Package})"))}. " +
            $"Fix: dotnet run --project tools/WorkshopKit.Cli -- torch-package {expected}");
        Assert.Equal(expected, TorchPackageSetting.ReadNotebook(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb")).Package);
    }

    [Fact]
    public void Switching_the_package_changes_the_property_and_only_the_nuget_line_of_each_notebook()
    {
        File.Copy(Path.Combine(RepoRoot.Path, "Directory.Build.props"), Path.Combine(copy, "Directory.Build.props"));
        Directory.CreateDirectory(Path.Combine(copy, "notebooks"));
        string notebook = Path.Combine(copy, "notebooks", "00-setup.ipynb");
        File.Copy(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb"), notebook);
        string before = File.ReadAllText(notebook);
        string propsBefore = File.ReadAllText(Path.Combine(copy, "Directory.Build.props"));

        var changed = TorchPackageSetting.Apply(copy, "TorchSharp-cuda-linux");

        Assert.Equal(2, changed.Count);
        Assert.Equal("TorchSharp-cuda-linux", TorchPackageSetting.ReadBuildProperty(copy));
        Assert.Equal("TorchSharp-cuda-linux", TorchPackageSetting.ReadNotebook(notebook).Package);
        Assert.Empty(TorchPackageSetting.Disagreements(copy, "TorchSharp-cuda-linux"));
        // Everything else in the files is byte-for-byte the same.
        Assert.Equal(before.Replace("nuget: TorchSharp,", "nuget: TorchSharp-cuda-linux,", StringComparison.Ordinal), File.ReadAllText(notebook));
        Assert.Equal(propsBefore.Replace(">TorchSharp</TorchSharpPackage>", ">TorchSharp-cuda-linux</TorchSharpPackage>", StringComparison.Ordinal),
            File.ReadAllText(Path.Combine(copy, "Directory.Build.props")));

        // Switching back restores the original files; switching again to the same package changes nothing.
        TorchPackageSetting.Apply(copy, "TorchSharp");
        Assert.Equal(before, File.ReadAllText(notebook));
        Assert.Empty(TorchPackageSetting.Apply(copy, "TorchSharp"));
    }

    [Fact]
    public void A_disagreeing_notebook_is_found()
    {
        File.Copy(Path.Combine(RepoRoot.Path, "Directory.Build.props"), Path.Combine(copy, "Directory.Build.props"));
        Directory.CreateDirectory(Path.Combine(copy, "notebooks"));
        string notebook = Path.Combine(copy, "notebooks", "07-gpu.ipynb");
        File.WriteAllText(notebook, File.ReadAllText(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb"))
            .Replace("nuget: TorchSharp,", "nuget: TorchSharp-cuda-windows,", StringComparison.Ordinal));

        var disagreement = Assert.Single(TorchPackageSetting.Disagreements(copy, "TorchSharp"));

        Assert.Equal(notebook, disagreement.NotebookPath);
        Assert.Equal("TorchSharp-cuda-windows", disagreement.Package);
    }

    [Fact]
    public void Unknown_package_is_rejected_with_the_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchPackageSetting.Apply(copy, "TorchSharp-rocm"));
        Assert.Contains("TorchSharp-rocm", e.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-windows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_library_restores_only_this_platforms_libtorch_and_no_other_platforms_natives()
    {
        // The test build restored lib/WorkshopKit for this machine; its assets file lists every package it resolved.
        string assets = Path.Combine(RepoRoot.Path, "lib", "WorkshopKit", "obj", "project.assets.json");
        using var json = JsonDocument.Parse(File.ReadAllText(assets));
        var packages = json.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name.Split('/')[0]).ToList();
        string rid = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;

        Assert.Equal("TorchSharp", TorchPackageSetting.ReadBuildProperty(RepoRoot.Path));
        Assert.Contains("TorchSharp", packages);
        Assert.Equal(["libtorch-cpu-" + rid], packages.Where(p => p.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain("TorchSharp-cpu", packages);
        // SkiaSharp's natives only for this OS (none on Linux, where SkiaSharp itself is pruned: no Linux native is referenced).
        Assert.DoesNotContain(packages, p => p.StartsWith("SkiaSharp.NativeAssets", StringComparison.Ordinal) && !p.EndsWith(OperatingSystem.IsWindows() ? "Win32" : "macOS", StringComparison.Ordinal));
        if (OperatingSystem.IsLinux()) Assert.DoesNotContain("SkiaSharp", packages);
    }

    [Fact]
    public void A_platform_without_a_cpu_libtorch_is_refused_at_restore_with_the_three_that_exist()
    {
        // A scratch copy of the library's project (no sources needed to restore) so that the repository's obj/ stays as it is.
        foreach (var f in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
            File.Copy(Path.Combine(RepoRoot.Path, f), Path.Combine(copy, f));
        Directory.CreateDirectory(Path.Combine(copy, "lib", "WorkshopKit"));
        File.Copy(Path.Combine(RepoRoot.Path, "lib", "WorkshopKit", "WorkshopKit.csproj"), Path.Combine(copy, "lib", "WorkshopKit", "WorkshopKit.csproj"));
        var start = new ProcessStartInfo("dotnet", ["restore", Path.Combine(copy, "lib", "WorkshopKit"), "-p:RuntimeIdentifier=linux-arm64", "--packages", Path.Combine(copy, "packages")])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var restore = Process.Start(start)!;
        string output = restore.StandardOutput.ReadToEnd() + restore.StandardError.ReadToEnd();
        restore.WaitForExit();

        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("no CPU libtorch package for runtime identifier 'linux-arm64'", output, StringComparison.Ordinal);
        Assert.Contains("libtorch-cpu-linux-x64, libtorch-cpu-win-x64 and libtorch-cpu-osx-arm64", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(copy, "packages", "torchsharp")), "the refusal should come before NuGet fetches anything");
    }
}
