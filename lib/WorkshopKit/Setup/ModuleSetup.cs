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
        FSharpCoreBinding.Install();
        try { TorchRuntime.Prepare(); }
        catch (TorchLoadException) { /* reported again by TorchRuntime.Initialize with the full diagnosis */ }
        Visuals.NotebookFormatters.Register();
    }
}
