using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace WorkshopKit.Runner;

/// <summary>
/// Builds the kernel a notebook runs in: a <see cref="CompositeKernel"/> holding one C# kernel that understands
/// <c>#r "nuget: ..."</c>, and that loads the .NET Interactive extensions shipped inside NuGet packages
/// (<c>interactive-extensions/dotnet</c>), as the dotnet-interactive tool does (TorchSharp's SkiaSharp dependency ships one). Charts need none:
/// WorkshopKit registers its own offline chart formatter when it loads (lib/WorkshopKit/Runtime/NotebookHost/NotebookFormatters.cs).
/// The dotnet-interactive tool does that loading itself; an in-process host has to do it, hence this class.
/// </summary>
public static class KernelFactory
{
    /// <summary>Creates a fresh kernel. Each notebook gets its own, so notebooks cannot see each other's variables.</summary>
    /// <param name="log">Receives one line per extension loaded (optional).</param>
    public static CompositeKernel Create(Action<string>? log = null)
    {
        var csharp = new CSharpKernel().UseKernelHelpers().UseWho().UseValueSharing();
        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        var loadedExtensionFolders = new HashSet<string>(StringComparer.Ordinal);
        csharp.UseNugetDirective(async (kernel, references) =>
        {
            kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
            foreach (var reference in references)
            {
                if (string.IsNullOrEmpty(reference.PackageRoot)) continue;
                string folder = Path.Combine(reference.PackageRoot, "interactive-extensions", "dotnet");
                if (!Directory.Exists(folder) || !loadedExtensionFolders.Add(folder)) continue;
                foreach (var name in await LoadExtensionsAsync(folder, composite))
                    log?.Invoke($"loaded kernel extension {name} from {reference.PackageName} {reference.PackageVersion}");
            }
        }, forceRestore: false);
        return composite;
    }

    /// <summary>
    /// Loads every <see cref="IKernelExtension"/> found in the assemblies of <paramref name="folder"/> and runs its
    /// <see cref="IKernelExtension.OnLoadAsync"/> against <paramref name="kernel"/>. An assembly that is already loaded
    /// (the same package's lib folder often holds the same file) is reused rather than loaded twice, so that types
    /// such as Plotly.NET's charts stay one type for the formatter and for the notebook's code.
    /// </summary>
    /// <returns>The full names of the extension types that were loaded.</returns>
    public static async Task<IReadOnlyList<string>> LoadExtensionsAsync(string folder, Kernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var loaded = new List<string>();
        foreach (var dll in Directory.GetFiles(folder, "*.dll").Order(StringComparer.Ordinal))
        {
            var wanted = AssemblyName.GetAssemblyName(dll);
            var assembly = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => string.Equals(a.GetName().Name, wanted.Name, StringComparison.OrdinalIgnoreCase))
                ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
            foreach (var type in assembly.GetExportedTypes())
            {
                if (type.IsAbstract || type.IsInterface || !typeof(IKernelExtension).IsAssignableFrom(type)) continue;
                var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                await extension.OnLoadAsync(kernel).ConfigureAwait(false);
                loaded.Add(type.FullName ?? type.Name);
            }
        }
        return loaded;
    }
}
