using Microsoft.DotNet.Interactive.Formatting;
using WorkshopKit.Precision;
using WorkshopKit.Visuals;
using WorkshopKit.Runtime.NotebookHost;

namespace WorkshopKit.Tests.Runtime;

/// <summary>Runs alone: it observes the process-wide formatter registry before and after registering.</summary>
[CollectionDefinition(nameof(NotebookFormatterRegistrationTests), DisableParallelization = true)]
public sealed class NotebookFormatterRegistrationCollection;

[Collection(nameof(NotebookFormatterRegistrationTests))]
public class NotebookFormatterRegistrationTests
{
    [Fact]
    public void RegisteringGivesWorkshopKitValuesTheirOwnHtml()
    {
        // This test process has no .NET Interactive kernel (next test), so WorkshopKit's module initializer skipped the
        // registration (it costs about 30 ms of start-up). The notebook tests (tests/WorkshopKit.Notebooks.Tests)
        // check the kernel side: there, tables and charts come out as WorkshopKit's HTML without a call.
        var counts = new SaturationCounts(NumberFormat.Fixed(16, 12), 10, 1, 2, 3);
        NotebookFormatters.Register();
        // .NET Interactive's default HTML for an object is a property table, not the value's own ToHtml().
        Assert.Equal(counts.ToHtml(), counts.ToDisplayString(HtmlFormatter.MimeType));
    }

    [Fact]
    public void AnAppWithoutTheKernelIsNotANotebookHostByItsAssemblyList()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        bool kernelListed = trusted.Split(Path.PathSeparator).Any(p => Path.GetFileNameWithoutExtension(p) == "Microsoft.DotNet.Interactive");
        Assert.False(kernelListed, "the unit-test app should not list the .NET Interactive kernel");
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Microsoft.DotNet.Interactive");
    }
}
