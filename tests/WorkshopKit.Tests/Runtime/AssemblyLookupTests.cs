using WorkshopKit.Runtime;

namespace WorkshopKit.Tests.Runtime;

public class AssemblyLookupTests
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
        Assert.Equal(BySplitting(fileName), AssemblyLookup.Trusted(fileName));
    }

    [Fact]
    public void TheTestHostHasTorchSharpTrusted()
    {
        string? path = AssemblyLookup.Trusted("TorchSharp.dll");
        Assert.NotNull(path);
        Assert.True(File.Exists(path), path);
    }

    /// <summary>The reference: GetName().Name of every loaded assembly.</summary>
    [Theory]
    [InlineData("TorchSharp")]
    [InlineData("System.Private.CoreLib")]
    [InlineData("System")]                 // a prefix of System.Runtime and others: must match only an assembly named System
    [InlineData("TorchShar")]              // a cut-short name must not match TorchSharp
    [InlineData("NoSuchAssembly")]
    public void LoadedAgreesWithGetName(string name)
    {
        _ = typeof(torch); // TorchSharp is loaded in this test process
        var expected = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name);
        Assert.Equal(expected, AssemblyLookup.Loaded(name));
    }
}
