using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using WorkshopKit.Runtime;
using WorkshopKit.Setup;

namespace WorkshopKit.Tests.Runtime;

/// <summary>
/// The WORKSHOPKIT_LIBTORCH route (how the kit runs on a machine's existing PyTorch, e.g. on a GPU), proven on the
/// CPU: WorkshopKit.GpuCheck runs as a child process from a folder without libtorch, with WORKSHOPKIT_LIBTORCH naming
/// a separate folder that holds the CPU libtorch; /proc/self/maps in the child shows which copy was loaded.
/// </summary>
public sealed class ExistingLibTorchTests : IDisposable
{
    private readonly string root = Path.Combine(AppContext.BaseDirectory, "preload-test-" + Guid.NewGuid().ToString("N")[..8]);

    private static bool IsLibTorchFile(string name) =>
        name.StartsWith("libtorch", StringComparison.Ordinal) || name.StartsWith("libc10", StringComparison.Ordinal) ||
        name.StartsWith("libgomp", StringComparison.Ordinal) || name.StartsWith("libshm", StringComparison.Ordinal);

    [Fact]
    public void AnAppWithoutLibTorchLoadsTheFolderNamedByTheVariable()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc/self/maps and the .so names are Linux's
        string bin = AppContext.BaseDirectory, app = Path.Combine(root, "app"), lib = Path.Combine(root, "existing-libtorch");
        Directory.CreateDirectory(app);
        Directory.CreateDirectory(lib);
        foreach (var file in Directory.GetFiles(bin))
        {
            string name = Path.GetFileName(file);
            if (name.EndsWith(".deps.json", StringComparison.Ordinal) || name.EndsWith(".runtimeconfig.json", StringComparison.Ordinal)) continue;
            // libtorch goes to the "existing installation"; everything else (TorchSharp, libLibTorchSharp.so, WorkshopKit) to the app.
            LinkOrCopy(file, Path.Combine(IsLibTorchFile(name) ? lib : app, name));
        }
        Assert.True(File.Exists(Path.Combine(lib, "libtorch_cpu.so")), "the test's output folder should hold the CPU libtorch from TorchSharp-cpu");
        WriteRuntimeConfig(app);

        var (exit, output, checks) = RunGpuCheck(app, lib);

        Assert.True(exit == 0, $"GpuCheck exited {exit}:\n{output}");
        var runtime = checks["runtime"];
        Assert.Equal("Pass", runtime.GetProperty("Status").GetString());
        var mapped = runtime.GetProperty("Details").EnumerateArray().Select(d => d.GetString()!)
            .Where(d => d.StartsWith("mapped: ", StringComparison.Ordinal) && d.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal)).ToList();
        Assert.Equal([$"mapped: {Path.Combine(lib, "libtorch_cpu.so")}"], mapped);
        Assert.Equal("Skip", checks["device"].GetProperty("Status").GetString()); // no CUDA here: skipped with a reason, not failed
        Assert.Contains("no CUDA", checks["device"].GetProperty("Summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAppThatBundlesLibTorchRefusesASecondCopyWithTheFix()
    {
        if (!OperatingSystem.IsLinux()) return;
        string lib = Path.Combine(root, "existing-libtorch");
        Directory.CreateDirectory(lib);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory).Where(f => IsLibTorchFile(Path.GetFileName(f))))
            LinkOrCopy(file, Path.Combine(lib, Path.GetFileName(file)));
        string app = Path.Combine(root, "bundled");
        Directory.CreateDirectory(app);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory))
        {
            string name = Path.GetFileName(file);
            if (!name.EndsWith(".deps.json", StringComparison.Ordinal) && !name.EndsWith(".runtimeconfig.json", StringComparison.Ordinal))
                LinkOrCopy(file, Path.Combine(app, name)); // libtorch included: the TorchSharp-cpu layout
        }
        WriteRuntimeConfig(app);

        var (exit, output, checks) = RunGpuCheck(app, lib);

        Assert.Equal(1, exit);
        var runtime = checks["runtime"];
        Assert.Equal("Fail", runtime.GetProperty("Status").GetString());
        Assert.Contains("TorchSharpPackage=TorchSharp", runtime.GetProperty("Summary").GetString(), StringComparison.Ordinal);
        Assert.Contains(TorchRuntime.LibTorchVariable, output, StringComparison.Ordinal);
    }

    private (int Exit, string Output, Dictionary<string, JsonElement> Checks) RunGpuCheck(string app, string lib)
    {
        string results = Path.Combine(root, "results-" + Path.GetFileName(app));
        var start = new ProcessStartInfo(DotNetHost(), [Path.Combine(app, "WorkshopKit.GpuCheck.dll"), results, "--checks", "runtime"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment[TorchRuntime.LibTorchVariable] = lib;
        start.Environment.Remove(Devices.DeviceVariable);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000)) { process.Kill(); throw new TimeoutException("GpuCheck did not finish in 120 s:\n" + output); }
        output += stderr.Result;
        string json = Path.Combine(results, "results.json");
        Assert.True(File.Exists(json), $"no results.json; output:\n{output}");
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var checks = doc.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("Name").GetString()!, c => c.Clone());
        return (process.ExitCode, output, checks);
    }

    private static string DotNetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static void WriteRuntimeConfig(string app) =>
        // No deps.json: the host then uses every assembly in the folder, and nothing lists the absent libtorch files.
        File.WriteAllText(Path.Combine(app, "WorkshopKit.GpuCheck.runtimeconfig.json"),
            "{\"runtimeOptions\": {\"tfm\": \"net10.0\", \"framework\": {\"name\": \"Microsoft.NETCore.App\", \"version\": \"" +
            Environment.Version.ToString(3) + "\"}}}");

    [DllImport("libc", SetLastError = true, EntryPoint = "link")]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    /// <summary>A hard link makes a second name for the 460 MB libtorch_cpu.so without copying it; a copy where links fail.</summary>
    private static void LinkOrCopy(string source, string target)
    {
        if (Link(source, target) != 0) File.Copy(source, target);
    }

    public void Dispose()
    {
        try { if (Directory.Exists(root)) Directory.Delete(root, recursive: true); }
        catch (IOException) { /* a leftover temp folder under bin/ is harmless */ }
    }
}
