using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class TrustedAssembliesTests
{
    /// <summary>The reference: split the runtime's list and compare whole file names.</summary>
    private static string? BySplitting(string fileName)
    {
        var list = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (var path in list.Split(Path.PathSeparator))
            if (string.Equals(Path.GetFileName(path), fileName, StringComparison.Ordinal)) return path;
        return null;
    }

    [Theory]
    [InlineData("TorchSharp.dll")]
    [InlineData("System.Runtime.dll")]
    [InlineData("System.Private.CoreLib.dll")]
    [InlineData("Runtime.dll")]          // the tail of System.Runtime.dll's name: must not match it
    [InlineData("TorchSharp.dl")]        // a cut-short name must not match either
    [InlineData("WorkshopKit.Tests.dll")]
    [InlineData("NoSuchAssembly.dll")]
    public void FindAgreesWithSplittingTheList(string fileName)
    {
        Assert.Equal(BySplitting(fileName), TrustedAssemblies.Find(fileName));
    }

    [Fact]
    public void TheTestHostHasTorchSharpTrusted()
    {
        string? path = TrustedAssemblies.Find("TorchSharp.dll");
        Assert.NotNull(path);
        Assert.True(File.Exists(path), path);
    }
}
