using WorkshopKit.Data;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class RepoPathsTests
{
    [Fact]
    public void TheRootHoldsTheSolutionAndTheDataFolder()
    {
        string root = RepoPaths.Root();
        Assert.True(File.Exists(Path.Combine(root, RepoPaths.SolutionFile)));
        Assert.Equal(RepoPaths.FindRoot(AppContext.BaseDirectory), root);
        if (Environment.GetEnvironmentVariable(Datasets.DataDirectoryVariable) is null)
            Assert.Equal(Path.Combine(root, "data"), Datasets.FindDataDirectory());
    }

    [Fact]
    public void TheNearestFolderAboveTheStartWinsAndOutsideTheRepositoryThereIsNone()
    {
        string dir = Path.Combine(Path.GetTempPath(), "workshopkit-repo-" + Guid.NewGuid().ToString("N"));
        string inner = Path.Combine(dir, "a", "b");
        Directory.CreateDirectory(inner);
        try
        {
            Assert.Null(RepoPaths.FindRoot(inner));
            Assert.Throws<DirectoryNotFoundException>(() => RepoPaths.Root(inner));
            File.WriteAllText(Path.Combine(dir, RepoPaths.SolutionFile), "");
            File.WriteAllText(Path.Combine(dir, "a", RepoPaths.SolutionFile), "");
            Assert.Equal(Path.Combine(dir, "a"), RepoPaths.FindRoot(inner));
            Assert.Equal(dir, RepoPaths.FindAbove(RepoPaths.SolutionFile, dir, inner));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
