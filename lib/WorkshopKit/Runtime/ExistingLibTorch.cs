using System.Runtime.InteropServices;

namespace WorkshopKit.Runtime;

/// <summary>Preloads libtorch from an existing installation named by <see cref="TorchRuntime.LibTorchVariable"/> (a folder, or <c>python</c>).</summary>
internal static class ExistingLibTorch
{
    private const string Variable = TorchRuntime.LibTorchVariable;

    /// <summary>
    /// Loads the named installation's libraries in dependency order; returns the report's description of the source
    /// and the folder, or (null, null) when the variable is not set.
    /// </summary>
    /// <exception cref="TorchLoadException">The setting names no folder, python3 has no torch, the app bundles its own libtorch too, or a library does not load.</exception>
    public static (string? Source, string? Folder) Preload(List<string> actions)
    {
        string? setting = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(setting) ? (null, null) : PreloadFrom(setting, actions);
    }

    /// <summary>
    /// The work when the variable is set, in its own method: the module initializer runs at every start, and the runtime
    /// compiles a whole method on its first call, even the branches that return at once.
    /// </summary>
    private static (string Source, string Folder) PreloadFrom(string setting, List<string> actions)
    {
        string folder = setting.Trim().Equals("python", StringComparison.OrdinalIgnoreCase) ? FindPythonTorchLib() : setting.Trim();
        if (!Directory.Exists(folder))
            throw new TorchLoadException($"{Variable} names '{folder}', which is not a folder. Set it to the 'lib' folder of a libtorch or PyTorch installation " +
                "(python3 -c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"), or to 'python', or unset it to use the TorchSharp package's libtorch.");
        folder = Path.GetFullPath(folder);
        string[] order = OperatingSystem.IsWindows()
            ? ["c10.dll", "torch_cpu.dll", "c10_cuda.dll", "torch_cuda.dll", "torch.dll"]
            : OperatingSystem.IsMacOS()
                ? ["libc10.dylib", "libtorch_cpu.dylib", "libtorch.dylib"]
                : ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];
        string cpuLibrary = order[1];
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, cpuLibrary)) &&
            !string.Equals(Path.GetFullPath(AppContext.BaseDirectory).TrimEnd(Path.DirectorySeparatorChar), folder.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            // TorchSharp loads the app's own copy by its path, so the process would hold two libtorch copies and
            // which one a call reaches would be up to the loader. Refuse instead of running on a mix.
            throw new TorchLoadException($"{Variable} names {folder}, but this app also bundles its own libtorch ({Path.Combine(AppContext.BaseDirectory, cpuLibrary)}, " +
                "from the TorchSharp-cpu package), which TorchSharp would load too: two libtorch copies in one process, and the system loader choosing which one each call reaches. Fix: build or publish with " +
                $"-p:TorchSharpPackage=TorchSharp -p:LibTorchPackage=none (TorchSharp without libtorch; see docs/gpu.md), or unset {Variable}.");
        }
        foreach (var name in order)
        {
            string path = Path.Combine(folder, name);
            if (!File.Exists(path)) continue;
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException e)
            {
                string hint = name.Contains("cuda", StringComparison.Ordinal)
                    ? " A CUDA build of libtorch needs the CUDA libraries it was built with (for pip's PyTorch: the nvidia-* packages next to torch in site-packages); " +
                      "if they live elsewhere, add their folders to LD_LIBRARY_PATH before starting the program."
                    : "";
                throw new TorchLoadException($"Could not load {path} from {Variable}: {e.Message}.{hint}", e);
            }
            actions.Add($"preloaded {path}");
        }
        return ($"existing installation in {folder} (from {Variable})", folder);
    }

    private static string FindPythonTorchLib()
    {
        try
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
                OperatingSystem.IsWindows() ? "python" : "python3",
                "-c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            if (p.ExitCode == 0 && Directory.Exists(output)) return output;
            throw new TorchLoadException($"{Variable}=python, but python3 could not import torch (exit {p.ExitCode}). Install PyTorch or set {Variable} to libtorch's lib folder.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new TorchLoadException($"{Variable}=python, but no python3 was found on PATH. Set {Variable} to libtorch's lib folder instead.", e);
        }
    }
}
