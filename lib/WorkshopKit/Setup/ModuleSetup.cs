using System.Runtime.CompilerServices;

namespace WorkshopKit.Setup;

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

    /// <summary>
    /// Registers the notebook formatters only where .NET Interactive's formatting library is (or later gets) loaded:
    /// loading it in a console app or twin costs about 30 ms of start-up for formatters nobody uses. A notebook kernel
    /// has it loaded before the first cell runs; an in-process host may load it later, hence the load event.
    /// </summary>
    private static void RegisterFormattersInNotebookHosts()
    {
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            if (e.LoadedAssembly.GetName().Name == FormattingAssembly) Visuals.NotebookFormatters.Register();
        };
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetName().Name == FormattingAssembly)
            {
                Visuals.NotebookFormatters.Register();
                return;
            }
        }
    }
}
