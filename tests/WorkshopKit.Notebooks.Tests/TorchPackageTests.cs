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
        Assert.Equal(before.Replace("nuget: TorchSharp-cpu,", "nuget: TorchSharp-cuda-linux,", StringComparison.Ordinal), File.ReadAllText(notebook));
        Assert.Equal(propsBefore.Replace(">TorchSharp-cpu</TorchSharpPackage>", ">TorchSharp-cuda-linux</TorchSharpPackage>", StringComparison.Ordinal),
            File.ReadAllText(Path.Combine(copy, "Directory.Build.props")));

        // Switching back restores the original files; switching again to the same package changes nothing.
        TorchPackageSetting.Apply(copy, "TorchSharp-cpu");
        Assert.Equal(before, File.ReadAllText(notebook));
        Assert.Empty(TorchPackageSetting.Apply(copy, "TorchSharp-cpu"));
    }

    [Fact]
    public void A_disagreeing_notebook_is_found()
    {
        File.Copy(Path.Combine(RepoRoot.Path, "Directory.Build.props"), Path.Combine(copy, "Directory.Build.props"));
        Directory.CreateDirectory(Path.Combine(copy, "notebooks"));
        string notebook = Path.Combine(copy, "notebooks", "07-gpu.ipynb");
        File.WriteAllText(notebook, File.ReadAllText(Path.Combine(RepoRoot.Path, "notebooks", "00-setup.ipynb"))
            .Replace("nuget: TorchSharp-cpu,", "nuget: TorchSharp-cuda-windows,", StringComparison.Ordinal));

        var disagreement = Assert.Single(TorchPackageSetting.Disagreements(copy, "TorchSharp-cpu"));

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
}
