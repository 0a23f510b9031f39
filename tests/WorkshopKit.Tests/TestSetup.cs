using System.Runtime.CompilerServices;
using WorkshopKit.Runtime;

namespace WorkshopKit.Tests;

internal static class TestSetup
{
#pragma warning disable CA2255 // Loads TorchSharp once, before any test touches a tensor.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void LoadTorch() => TorchRuntime.Initialize();
}
