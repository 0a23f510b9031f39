using System.Runtime.CompilerServices;

namespace WorkshopKit.Runtime;

internal static class ModuleSetup
{
    /// <summary>
    /// Runs when WorkshopKit is loaded, before any of its code touches TorchSharp, so that notebooks and
    /// file-based apps need no setup call. Only file-level preparation happens here; errors surface later,
    /// with a diagnosis, from <see cref="TorchRuntime.Initialize"/>.
    /// </summary>
#pragma warning disable CA2255 // A module initializer is the one hook that runs before a notebook's first tensor.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void PrepareNatives()
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        FSharpCoreBinding.Install();
        try { TorchRuntime.Prepare(); }
        catch (TorchLoadException) { /* reported again by TorchRuntime.Initialize with the full diagnosis */ }
        RegisterFormattersInNotebookHosts();
        StartupTimings.ModuleInitializer = System.Diagnostics.Stopwatch.GetElapsedTime(t0);
    }

    private const string FormattingAssembly = "Microsoft.DotNet.Interactive.Formatting";
    private const string KernelAssembly = "Microsoft.DotNet.Interactive";

    /// <summary>
    /// Registers the notebook formatters only in a notebook host: a process that has .NET Interactive's kernel
    /// (<c>Microsoft.DotNet.Interactive</c>) loaded or among its app's assemblies (the dotnet-interactive kernel behind
    /// Jupyter and VS Code, dotnet-repl, the in-process runner), or that has already loaded the formatting library.
    /// Registering loads the formatting library and Plotly.NET, about 30 ms of every start of a console app or twin,
    /// for formatters nobody there uses. (An AssemblyLoad hook that registered later proved fragile: registering
    /// inside the load event of the formatting library lost the registration in a parallel test run.)
    /// </summary>
    private static void RegisterFormattersInNotebookHosts()
    {
        if (IsNotebookHost()) NotebookHost.NotebookFormatters.Register();
    }

    /// <summary>True when this process hosts .NET Interactive (see <see cref="RegisterFormattersInNotebookHosts"/>).</summary>
    internal static bool IsNotebookHost()
    {
        return AssemblyLookup.Loaded(FormattingAssembly) is not null || AssemblyLookup.Loaded(KernelAssembly) is not null
            || AssemblyLookup.Trusted(KernelAssembly + ".dll") is not null;
    }
}
