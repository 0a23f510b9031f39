using System.Reflection;

namespace WorkshopKit.Runtime;

/// <summary>
/// Shows a value in the running notebook cell and returns a way to redraw it in place: .NET Interactive's
/// <c>Kernel.display(value)</c> and <c>DisplayedValue.Update(value)</c>, found by name at run time. The library has no
/// compile-time reference to the kernel because the notebooks' file-based twins run without one; there this returns
/// null and callers print instead.
/// </summary>
/// <remarks>Runtime plumbing: not taught; readers can skip it (used by <see cref="Visuals.LiveTrainingChart"/>).</remarks>
internal static class NotebookDisplay
{
    private const string KernelAssembly = "Microsoft.DotNet.Interactive";

    /// <summary>Whether a notebook kernel hosts this process (so <see cref="Show"/> can display).</summary>
    public static bool IsAvailable => DisplayMethod() is not null;

    /// <summary>
    /// Whether a displayed value can be redrawn in place. Not in the Jupyter kernel: measured with .NET Interactive
    /// 1.0.712001 and jupyter_client 7.4.9 (Debian 12), its <c>update_display_data</c> message carries a different
    /// <c>display_id</c> than the <c>display_data</c> it should replace, so Jupyter keeps the first picture. VS Code's
    /// Polyglot Notebooks and the book's runner receive the update as .NET Interactive events and redraw. dotnet-repl
    /// (0.3.259) appends every update as a new output (measured: 23 charts in the saved notebook for one live chart), so
    /// it is treated like Jupyter.
    /// </summary>
    public static bool UpdatesInPlace =>
        !Environment.GetCommandLineArgs().Contains("jupyter", StringComparer.Ordinal)
        && System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name != "dotnet-repl";

    /// <summary>Displays <paramref name="value"/> in the current cell; null when no notebook kernel hosts this process.</summary>
    public static Action<object>? Show(object value)
    {
        var display = DisplayMethod();
        if (display is null) return null;
        object? shown = display.Invoke(null, [value, Array.Empty<string>()]);
        var update = shown?.GetType().GetMethod("Update", [typeof(object)]);
        if (shown is null || update is null) return null;
        return newValue => update.Invoke(shown, [newValue]);
    }

    private static MethodInfo? DisplayMethod() => AppDomain.CurrentDomain.GetAssemblies()
        .FirstOrDefault(a => a.GetName().Name == KernelAssembly)?
        .GetType("Microsoft.DotNet.Interactive.Kernel")?
        .GetMethod("display", BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string[])]);
}
