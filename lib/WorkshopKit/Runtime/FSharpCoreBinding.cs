using System.Reflection;
using System.Runtime.Loader;

namespace WorkshopKit.Runtime;

/// <summary>
/// Lets Plotly.NET (compiled against FSharp.Core 10.1) run in a host that has already loaded another FSharp.Core,
/// such as the .NET Interactive kernel behind Jupyter, VS Code and dotnet-repl, which loads its own FSharp.Core 10.0
/// at start-up. .NET cannot load a second FSharp.Core into the same load context, and a notebook's
/// <c>#r "nuget: FSharp.Core, 10.1.x"</c> restores the package but cannot replace the loaded one; without this,
/// every chart cell fails with <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>.
/// WorkshopKit answers such a request with the FSharp.Core that is already loaded. That is safe only because every
/// chart helper the notebooks call is executed in the real kernel by the test suite (tests/WorkshopKit.Notebooks.Tests,
/// JupyterKernelTests); environment.md explains it.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it (the doctor report, run before notebook 00, names the FSharp.Core in use).</remarks>
internal static class FSharpCoreBinding
{
    private const string Name = "FSharp.Core";
    private static int installed;
    private static string? lastRequest;

    /// <summary>The version of the first FSharp.Core request that was answered with the loaded copy, or null if none was needed.</summary>
    public static string? RedirectedRequest => lastRequest;

    /// <summary>The FSharp.Core loaded in this process (null before anything needed it).</summary>
    public static Version? LoadedVersion => Loaded()?.GetName().Version;

    /// <summary>The file the loaded FSharp.Core came from (null before anything needed it, or for an in-memory assembly).</summary>
    public static string? LoadedFrom => Loaded() is { } a && !string.IsNullOrEmpty(a.Location) ? a.Location : null;

    /// <summary>Installs the handler once per process (WorkshopKit's module initializer does this before anything else).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 1) return;
        // AssemblyResolve is raised for every load context after its own resolution failed, which covers the
        // Roslyn scripting load context that .NET Interactive loads notebook references into.
        AppDomain.CurrentDomain.AssemblyResolve += (_, args) => Resolve(new AssemblyName(args.Name));
    }

    private static Assembly? Resolve(AssemblyName requested)
    {
        if (!string.Equals(requested.Name, Name, StringComparison.Ordinal)) return null;
        var loaded = Loaded();
        if (loaded is null) return null;
        Interlocked.CompareExchange(ref lastRequest, requested.Version?.ToString() ?? "unversioned", null);
        return loaded;
    }

    /// <summary>The FSharp.Core of the default load context (the host's own) if it has one, else the first found.</summary>
    private static Assembly? Loaded()
    {
        foreach (var context in new[] { AssemblyLoadContext.Default }.Concat(AssemblyLoadContext.All))
        {
            foreach (var assembly in context.Assemblies)
            {
                if (string.Equals(assembly.GetName().Name, Name, StringComparison.Ordinal)) return assembly;
            }
        }
        return null;
    }
}
