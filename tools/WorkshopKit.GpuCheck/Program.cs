using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using WorkshopKit.GpuCheck;

// WorkshopKit's GPU check: loads TorchSharp (optionally from an existing PyTorch via WORKSHOPKIT_LIBTORCH),
// picks CUDA, checks CPU-versus-CUDA agreement and measures conv2d TFLOP/s and copy bandwidth.
// Every check is one [Check] method (Checks*.cs); see docs/gpu.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

string? folder = null;
HashSet<string>? only = null;
bool requireCuda = false, list = false, cpuAsTarget = false;
double timeScale = 1;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--checks" when i + 1 < args.Length:
            only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            break;
        case "--require-cuda": requireCuda = true; break;
        case "--list": list = true; break;
        case "--cpu-as-target": cpuAsTarget = true; break;
        case "--time-scale" when i + 1 < args.Length && double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t > 0:
            timeScale = t; i++; break;
        case "-h" or "--help":
            Console.WriteLine(Options.Usage); return 0;
        default:
            if (args[i].StartsWith('-') || folder is not null)
            {
                Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'");
                Console.Error.WriteLine(Options.Usage);
                return 2;
            }
            folder = args[i];
            break;
    }
}

var checks = CheckRunner.Discover();
if (list)
{
    foreach (var (info, _) in checks)
        Console.WriteLine($"{info.Name,-24} {(info.NeedsCuda ? "cuda" : "any "),-5} {info.TimeoutSeconds,4} s  {info.Description}");
    return 0;
}
if (folder is null)
{
    Console.Error.WriteLine("missing <output-folder>");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
var unknown = only?.Where(n => checks.All(c => c.Info.Name != n)).ToList() ?? [];
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown check(s): {string.Join(", ", unknown)}; known: {string.Join(", ", checks.Select(c => c.Info.Name))}");
    return 2;
}

var machine = new Dictionary<string, string>
{
    ["host"] = Environment.MachineName,
    ["os"] = RuntimeInformation.OSDescription,
    [".NET"] = RuntimeInformation.FrameworkDescription,
    ["WORKSHOPKIT_LIBTORCH"] = Environment.GetEnvironmentVariable("WORKSHOPKIT_LIBTORCH") ?? "(unset)",
    ["LD_LIBRARY_PATH"] = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "(unset)",
    ["gpu (nvidia-smi)"] = NvidiaSmi(),
};
if (Environment.GetEnvironmentVariable("GPUCHECK_NOTE") is { Length: > 0 } note) machine["note"] = note;
if (cpuAsTarget) machine["mode"] = "--cpu-as-target: CUDA checks ran on the CPU; their numbers are not GPU results";

Console.WriteLine($"WorkshopKit GPU check -> {Path.GetFullPath(folder)}");
foreach (var (k, v) in machine) Console.WriteLine($"  {k}: {v}");
var writer = new ResultWriter(folder, machine);
var results = CheckRunner.RunAll(new Options(folder, only, requireCuda, timeScale, cpuAsTarget), writer);

int failed = results.Count(r => r.Status == CheckStatus.Fail);
Console.WriteLine();
Console.WriteLine($"SUMMARY: {results.Count(r => r.Status == CheckStatus.Pass)} passed, {failed} failed, {results.Count(r => r.Status == CheckStatus.Skip)} skipped; results in {writer.JsonPath} and {writer.MarkdownPath}");
// Abandoned (timed-out) check threads are background threads; exit without waiting for them.
return failed == 0 ? 0 : 1;

static string NvidiaSmi()
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=name,driver_version,memory.total --format=csv,noheader")
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
        if (p is null) return "(not started)";
        var text = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(10_000)) { p.Kill(entireProcessTree: true); return "(nvidia-smi did not answer in 10 s)"; }
        return p.ExitCode == 0 ? text.Result.Trim() : $"(nvidia-smi exit {p.ExitCode})";
    }
    catch (System.ComponentModel.Win32Exception) { return "(no nvidia-smi)"; }
}
