using TorchSharp;
using WorkshopKit.Runtime;
using WorkshopKit.Setup;

namespace WorkshopKit.GpuCheck;

/// <summary>The two checks every run starts with: TorchSharp loads, and Devices.Pick() finds the GPU.</summary>
internal static class SetupChecks
{
    [Check("runtime", 0, TimeoutSeconds = 120,
        Description = "TorchRuntime.Initialize() loads TorchSharp (from WORKSHOPKIT_LIBTORCH when set); the libtorch mapped into the process is the one asked for.")]
    internal static CheckOutcome Runtime(CheckContext c)
    {
        var report = TorchRuntime.Initialize();
        foreach (var line in report.ToString().Split('\n')) c.Log(line.TrimEnd());
        c.Shared.TorchLoaded = true;

        var mapped = NativeMaps.Libraries();
        foreach (var path in mapped) c.Log($"mapped: {path}");
        var cpuCopies = mapped.Where(p => Path.GetFileName(p) == "libtorch_cpu.so").ToList();
        if (cpuCopies.Count > 1)
            return CheckOutcome.Fail($"two copies of libtorch_cpu.so are loaded ({string.Join(", ", cpuCopies)}): the app bundles libtorch and {TorchRuntime.LibTorchVariable} names another");
        string where = cpuCopies.Count == 1 ? cpuCopies[0] : "(not visible in /proc/self/maps)";
        if (report.ExistingLibTorchFolder is { } folder)
        {
            if (cpuCopies.Count == 0)
                return CheckOutcome.Fail($"{TorchRuntime.LibTorchVariable} names {folder}, but no libtorch_cpu.so is mapped");
            if (!NativeMaps.IsUnder(cpuCopies[0], folder))
                return CheckOutcome.Fail($"{TorchRuntime.LibTorchVariable} names {folder}, but libtorch_cpu.so was loaded from {cpuCopies[0]}");
        }

        // One small operation with a hand-computed answer: each output is the sum of a 2x2 window of 1..9.
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(1, 10, dtype: torch.ScalarType.Float32).reshape(1, 1, 3, 3);
        var y = torch.nn.functional.conv2d(x, torch.ones(1, 1, 2, 2));
        float[] got = y.data<float>().ToArray(), want = [12, 16, 24, 28];
        if (!got.SequenceEqual(want))
            return CheckOutcome.Fail($"conv2d on the CPU gave [{string.Join(", ", got)}], expected [{string.Join(", ", want)}]");
        return CheckOutcome.Pass($"TorchSharp {report.TorchSharpVersion}, libtorch: {report.LibTorchSource}; libtorch_cpu.so mapped from {where}; CPU conv2d correct");
    }

    [Check("device", 1, TimeoutSeconds = 120,
        Description = "Devices.Pick() chooses CUDA when a GPU is present; a small tensor round-trips through it.")]
    internal static CheckOutcome Device(CheckContext c)
    {
        var choice = Devices.Pick();
        c.Log($"Devices.Pick(): {choice}");
        if (!choice.IsCuda && c.Options.CpuAsTarget)
        {
            c.Shared.Cuda = torch.CPU;
            return CheckOutcome.Skip($"no CUDA ({choice.Reason}); --cpu-as-target: the CUDA checks run with the CPU in the GPU's place");
        }
        if (!choice.IsCuda)
        {
            c.Shared.CudaAbsence = choice.Reason;
            return c.Options.RequireCuda
                ? CheckOutcome.Fail($"--require-cuda, but Devices.Pick() chose {choice.Device}: {choice.Reason}")
                : CheckOutcome.Skip($"no CUDA: {choice.Reason} (CUDA checks are skipped)");
        }
        c.Log($"torch.cuda.device_count() = {torch.cuda.device_count()}, cudnn available = {torch.cuda.is_cudnn_available()}");
        c.Log($"TF32 defaults: backends.cudnn.allow_tf32 = {torch.backends.cudnn.allow_tf32}, backends.cuda.matmul.allow_tf32 = {torch.backends.cuda.matmul.allow_tf32}");
        using var scope = torch.NewDisposeScope();
        var x = torch.arange(0, 1000, dtype: torch.ScalarType.Float32, device: choice.Device);
        double sum = (x * 2).sum().cpu().item<float>();
        foreach (var path in NativeMaps.Libraries().Where(p => !p.Contains("libtorch_cpu", StringComparison.Ordinal)))
            c.Log($"mapped: {path}");
        if (sum != 999_000)
            return CheckOutcome.Fail($"sum of 2*(0..999) on {choice.Device} was {sum}, expected 999000");
        c.Shared.Cuda = choice.Device;
        return CheckOutcome.Pass($"{choice}; arithmetic on the GPU correct");
    }
}

/// <summary>Reads which shared libraries the process has mapped (Linux), to prove where libtorch came from.</summary>
internal static class NativeMaps
{
    private static readonly string[] Interesting = ["libtorch", "libc10", "libLibTorchSharp", "libcudnn", "libcudart", "libcublas", "libnvrtc", "libgomp"];

    public static IReadOnlyList<string> Libraries()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return [];
        return File.ReadLines(maps)
            .Select(l => l.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? l[i..].Trim() : "")
            .Where(p => p.Length > 0 && Interesting.Any(n => Path.GetFileName(p).StartsWith(n, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static bool IsUnder(string file, string folder)
    {
        string f = Real(file), d = Real(folder).TrimEnd('/') + "/";
        return f.StartsWith(d, StringComparison.Ordinal) || Path.GetFullPath(file).StartsWith(Path.GetFullPath(folder).TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    private static string Real(string path)
    {
        try
        {
            var info = new FileInfo(path);
            var target = info.ResolveLinkTarget(returnFinalTarget: true);
            if (target is not null) return target.FullName;
            var dir = new DirectoryInfo(path);
            var dirTarget = dir.Exists ? dir.ResolveLinkTarget(returnFinalTarget: true) : null;
            return dirTarget?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException) { return Path.GetFullPath(path); }
    }
}
