using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using WorkshopKit.Runtime;
using WorkshopKit.Visuals;
using WorkshopKit.Runtime.NotebookHost;

namespace WorkshopKit.Cli;

/// <summary>The outcome of one pre-flight check: its name, whether it passed, what was found and, when it failed, the fix.</summary>
internal sealed record RouteCheck(string Name, RouteStatus Status, string Found, string? Fix = null);

/// <summary>Ok: nothing to do. Warn: works, but worth knowing. Fail: the notebooks will not run this way until fixed.</summary>
internal enum RouteStatus { Ok, Warn, Fail }

/// <summary>
/// Checks the route an attendee takes to run the notebooks in a client (Jupyter or VS Code with the .NET Interactive kernel,
/// or dotnet-repl): the pinned kernel tool, its registration with Jupyter, the FSharp.Core the kernel loads versus the one
/// the chart packages were built for, the library build the notebooks reference, libtorch copies that could shadow
/// TorchSharp's, and offline plotly.js. Each failure names the exact command that fixes it.
/// </summary>
internal static class NotebookRouteChecks
{
    /// <summary>The kernel version pinned in .config/dotnet-tools.json.</summary>
    public static string? PinnedKernelVersion(string root)
    {
        string manifest = Path.Combine(root, ".config", "dotnet-tools.json");
        if (!File.Exists(manifest)) return null;
        return JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?["microsoft.dotnet-interactive"]?["version"]?.GetValue<string>();
    }

    public static IReadOnlyList<RouteCheck> Run(string root)
    {
        var checks = new List<RouteCheck>();
        string? pinned = PinnedKernelVersion(root);
        var kernel = Exec("dotnet", ["interactive", "--version"], root);
        if (pinned is null)
            checks.Add(new("kernel tool", RouteStatus.Fail, ".config/dotnet-tools.json does not pin Microsoft.dotnet-interactive", "restore the file from git (`git checkout .config/dotnet-tools.json`)"));
        else if (kernel.Code != 0)
            checks.Add(new("kernel tool", RouteStatus.Fail, $"`dotnet interactive` does not run here ({FirstLine(kernel.Output)})", "dotnet tool restore   (from the repository root; installs the pinned kernel and dotnet-repl)"));
        else if (!kernel.Output.StartsWith(pinned, StringComparison.Ordinal))
            checks.Add(new("kernel tool", RouteStatus.Warn, $"dotnet-interactive {FirstLine(kernel.Output)}, pinned {pinned}", "dotnet tool restore"));
        else
            checks.Add(new("kernel tool", RouteStatus.Ok, $"dotnet-interactive {pinned} (local tool from .config/dotnet-tools.json)"));

        var repl = Exec("dotnet", ["repl", "--version"], root);
        checks.Add(repl.Code == 0
            ? new("dotnet-repl", RouteStatus.Ok, "dotnet-repl " + FirstLine(repl.Output).Split('+')[0])
            : new("dotnet-repl", RouteStatus.Warn, "not installed (optional: runs a notebook from the terminal)", "dotnet tool restore"));

        checks.Add(JupyterCheck(root));
        checks.Add(FSharpCoreCheck());
        checks.Add(LibraryBuildCheck(root));
        checks.AddRange(ShadowingChecks());
        checks.Add(new("offline charts", RouteStatus.Ok, $"plotly.js {PlotlyJs.Version} ships inside Plotly.NET; the first chart of a session embeds it, so charts draw without network"));
        return checks;
    }

    private static RouteCheck JupyterCheck(string root)
    {
        // JSON on standard output; Jupyter's Python may print debugger warnings on standard error.
        var (code, json, errors) = ExecSplit("jupyter", ["kernelspec", "list", "--json"], root);
        var jupyter = (Code: code, Output: json + errors);
        if (jupyter.Code == int.MinValue)
        {
            return new("Jupyter", RouteStatus.Warn, "jupyter is not installed (needed only for Jupyter; VS Code and dotnet-repl do without)",
                OperatingSystem.IsLinux() ? "sudo apt-get install jupyter-notebook jupyter-nbconvert python3-ipykernel   (or: pipx install notebook)"
                : "pipx install notebook   (or: python -m pip install --user notebook)");
        }
        if (jupyter.Code != 0) return new("Jupyter", RouteStatus.Fail, "`jupyter kernelspec list` failed: " + FirstLine(jupyter.Output), "reinstall Jupyter (see README, Opening the notebooks)");
        JsonNode? spec = null;
        try { spec = JsonNode.Parse(json)?["kernelspecs"]?[".net-csharp"]; } catch (System.Text.Json.JsonException) { }
        if (spec is null)
            return new("Jupyter kernel", RouteStatus.Warn, "Jupyter is installed but has no .NET (C#) kernel (.net-csharp); Jupyter cannot run the notebooks until it has", "dotnet interactive jupyter install   (from the repository root, after dotnet tool restore)");
        string argv = string.Join(" ", spec["spec"]?["argv"]?.AsArray().Select(a => a?.GetValue<string>()) ?? []);
        bool local = argv.StartsWith("dotnet interactive ", StringComparison.Ordinal);
        return local
            ? new("Jupyter kernel", RouteStatus.Ok, $".net-csharp registered ({spec["resource_dir"]}); it starts `dotnet interactive`, which finds the pinned tool inside this repository")
            : new("Jupyter kernel", RouteStatus.Warn, $".net-csharp starts `{argv}`: a global kernel, not the pinned one", "dotnet interactive jupyter install   (from the repository root)");
    }

    private static RouteCheck FSharpCoreCheck()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string? kernelFSharp = Directory.Exists(Path.Combine(packages, "microsoft.dotnet-interactive"))
            ? Directory.GetFiles(Path.Combine(packages, "microsoft.dotnet-interactive"), "FSharp.Core.dll", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        var wanted = typeof(Plotly.NET.GenericChart).Assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "FSharp.Core")?.Version;
        if (kernelFSharp is null) return new("FSharp.Core", RouteStatus.Warn, $"kernel not restored yet; Plotly.NET wants FSharp.Core {wanted}", "dotnet tool restore");
        var have = AssemblyName.GetAssemblyName(kernelFSharp).Version;
        return have >= wanted
            ? new("FSharp.Core", RouteStatus.Ok, $"the kernel loads FSharp.Core {have}; Plotly.NET wants {wanted}")
            : new("FSharp.Core", RouteStatus.Ok, $"the kernel loads FSharp.Core {have}, Plotly.NET wants {wanted}: WorkshopKit binds those requests to the kernel's copy (environment.md, \"Charts in notebook clients\"; every chart helper is tested in the real kernel)");
    }

    private static RouteCheck LibraryBuildCheck(string root)
    {
        string bin = Path.Combine(root, "lib", "WorkshopKit", "bin", "Debug", "net10.0");
        string[] needed = ["WorkshopKit.dll", "Plotly.NET.dll", "Plotly.NET.CSharp.dll"];
        var missing = needed.Where(f => !File.Exists(Path.Combine(bin, f))).ToList();
        if (missing.Count > 0) return new("library build", RouteStatus.Fail, $"lib/WorkshopKit/bin/Debug/net10.0 lacks {string.Join(", ", missing)} (the notebooks' first cell references them)", "dotnet build lib/WorkshopKit");
        if (File.Exists(Path.Combine(bin, "FSharp.Core.dll")))
            return new("library build", RouteStatus.Fail, "lib/WorkshopKit/bin/Debug/net10.0 holds an FSharp.Core.dll, which would load beside the kernel's and split F# types", "rm lib/WorkshopKit/bin/Debug/net10.0/FSharp.Core.dll && dotnet build lib/WorkshopKit");
        return new("library build", RouteStatus.Ok, "lib/WorkshopKit/bin/Debug/net10.0 has WorkshopKit and the chart packages the first cell references");
    }

    private static IEnumerable<RouteCheck> ShadowingChecks()
    {
        if (!OperatingSystem.IsLinux()) yield break;
        var folders = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"])
            .Concat(Environment.GetEnvironmentVariable("CONDA_PREFIX") is { Length: > 0 } conda ? [Path.Combine(conda, "lib")] : [])
            .Distinct(StringComparer.Ordinal).Where(Directory.Exists);
        var own = TorchRuntime.BundledLibTorchFolder();
        var others = new List<string>();
        foreach (var folder in folders)
        {
            if (own is not null && Path.GetFullPath(folder).TrimEnd('/') == own.TrimEnd('/')) continue;
            foreach (var name in new[] { "libtorch.so", "libtorch_cpu.so", "libc10.so" })
                others.AddRange(Directory.GetFiles(folder, name + "*"));
        }
        var loaded = TorchRuntime.Report is null ? [] : TorchRuntime.ForeignLibTorchLoaded(own);
        if (loaded.Count > 0)
            yield return new("libtorch shadowing", RouteStatus.Fail, $"this process loaded a foreign libtorch: {string.Join(", ", loaded)}", "unset LD_LIBRARY_PATH for the notebook client, or remove that libtorch folder from it");
        else if (others.Count > 0)
            yield return new("libtorch shadowing", RouteStatus.Warn, $"other libtorch copies on the library path: {string.Join(", ", others.Take(4))}{(others.Count > 4 ? ", ..." : "")}. Harmless when TorchRuntime.Initialize() runs before the first tensor (it loads TorchSharp's own by full path; every notebook does so in its second cell)",
                "nothing, unless a cell fails with 'undefined symbol': then call TorchRuntime.Initialize() first");
        else
            yield return new("libtorch shadowing", RouteStatus.Ok, "no other libtorch on LD_LIBRARY_PATH or in the system library folders");
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>Runs a command for its output (standard output, then standard error); Code is int.MinValue when the program does not exist.</summary>
    private static (int Code, string Output) Exec(string file, string[] arguments, string workingDirectory) =>
        ExecSplit(file, arguments, workingDirectory) is var (code, stdout, stderr) ? (code, stdout + stderr) : default;

    private static (int Code, string StandardOutput, string StandardError) ExecSplit(string file, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(start)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000)) { p.Kill(entireProcessTree: true); return (-1, "", "timed out"); }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (int.MinValue, "", $"{file} not found");
        }
    }
}
