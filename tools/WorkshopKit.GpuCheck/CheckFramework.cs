using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using TorchSharp;

namespace WorkshopKit.GpuCheck;

/// <summary>Marks a static method <c>CheckOutcome M(CheckContext context)</c> as a check; the runner finds it by reflection, so adding a check is adding a method.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CheckAttribute(string name, int order) : Attribute
{
    /// <summary>Short name used on the command line (<c>--checks name,...</c>) and in the results.</summary>
    public string Name { get; } = name;

    /// <summary>Checks run in ascending order; the setup checks come first.</summary>
    public int Order { get; } = order;

    /// <summary>True when the check needs a CUDA device; it is skipped, with the reason, where there is none.</summary>
    public bool NeedsCuda { get; init; }

    /// <summary>Wall-clock limit; a check that runs longer is reported as failed and abandoned.</summary>
    public int TimeoutSeconds { get; init; } = 90;

    /// <summary>One line on what the check proves or measures.</summary>
    public string Description { get; init; } = "";
}

/// <summary>PASS, FAIL or SKIP: a skip is no failure (for example CUDA checks on a machine without CUDA).</summary>
internal enum CheckStatus { Pass, Fail, Skip }

/// <summary>What a check method returns: its verdict and a one-line summary with the numbers that decided it.</summary>
internal sealed record CheckOutcome(CheckStatus Status, string Summary)
{
    public static CheckOutcome Pass(string summary) => new(CheckStatus.Pass, summary);
    public static CheckOutcome Fail(string summary) => new(CheckStatus.Fail, summary);
    public static CheckOutcome Skip(string summary) => new(CheckStatus.Skip, summary);
}

/// <summary>A measured number with its unit, as it appears in results.json and results.md.</summary>
internal sealed record Metric(string Name, double Value, string Unit);

/// <summary>One check's complete record.</summary>
internal sealed record CheckResult(string Name, string Description, CheckStatus Status, string Summary, double Seconds,
    IReadOnlyList<Metric> Metrics, IReadOnlyList<string> Details);

/// <summary>State shared by the checks (the CUDA device once found) and the per-check log and metrics.</summary>
internal sealed class CheckContext
{
    private readonly List<Metric> metrics = [];
    private readonly List<string> details = [];
    private readonly string name;

    public CheckContext(string name, SharedState shared, Options options)
    {
        this.name = name;
        Shared = shared;
        Options = options;
    }

    /// <summary>What the setup checks found, for the later ones.</summary>
    public SharedState Shared { get; }

    /// <summary>The command-line options.</summary>
    public Options Options { get; }

    /// <summary>The CUDA device; checks marked <see cref="CheckAttribute.NeedsCuda"/> only run when it is set.</summary>
    public torch.Device Cuda => Shared.Cuda ?? throw new InvalidOperationException("No CUDA device: this check should have been skipped.");

    public IReadOnlyList<Metric> Metrics => metrics;
    public IReadOnlyList<string> Details => details;

    /// <summary>Prints a line of the check's log and keeps it for the result files.</summary>
    public void Log(string line)
    {
        lock (details) details.Add(line);
        Console.WriteLine($"  [{name}] {line}");
    }

    /// <summary>Records (and prints) a number.</summary>
    public void Metric(string metricName, double value, string unit)
    {
        lock (metrics) metrics.Add(new Metric(metricName, value, unit));
        Log($"{metricName} = {Format(value)} {unit}");
    }

    public static string Format(double v) =>
        double.IsNaN(v) ? "NaN" : Math.Abs(v) >= 100 ? v.ToString("F1", CultureInfo.InvariantCulture)
        : Math.Abs(v) >= 0.01 || v == 0 ? v.ToString("F3", CultureInfo.InvariantCulture) : v.ToString("E2", CultureInfo.InvariantCulture);
}

/// <summary>What the setup checks found.</summary>
internal sealed class SharedState
{
    /// <summary>The CUDA device Devices.Pick() chose, or null.</summary>
    public torch.Device? Cuda { get; set; }

    /// <summary>Why there is no CUDA device (shown in every skipped CUDA check).</summary>
    public string CudaAbsence { get; set; } = "the device check has not run";

    /// <summary>True once TorchSharp's native backend loaded.</summary>
    public bool TorchLoaded { get; set; }
}

/// <summary>Command-line options.</summary>
internal sealed record Options(string OutputFolder, IReadOnlySet<string>? Only, bool RequireCuda, double TimeScale, bool CpuAsTarget = false)
{
    public const string Usage = """
        usage: WorkshopKit.GpuCheck <output-folder> [--checks name,name,...] [--require-cuda] [--time-scale x] [--list]
          <output-folder>  where results.json and results.md are written (created if missing)
          --checks         run only these checks (the setup checks 'runtime' and 'device' always run)
          --require-cuda   fail the 'device' check when Devices.Pick() does not choose CUDA
          --time-scale     multiply every check's time limit (default 1)
          --list           print the checks and exit
          --cpu-as-target  testing this program without a GPU: run the CUDA checks with the CPU in the GPU's place
                           (conv2d throughput with B=1); the numbers mean nothing, the code paths run
        environment: WORKSHOPKIT_LIBTORCH=<folder with libtorch*.so> or 'python' loads an existing libtorch (PyTorch's torch/lib).
        exit code: 0 when nothing failed (skips are not failures), 1 when a check failed, 2 for bad arguments.
        """;
}

/// <summary>Finds the checks, runs each isolated (own thread, own time limit, exceptions caught) and writes the results after each.</summary>
internal static class CheckRunner
{
    public static IReadOnlyList<(CheckAttribute Info, MethodInfo Method)> Discover() =>
        typeof(CheckRunner).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => (Info: m.GetCustomAttribute<CheckAttribute>()!, Method: m))
            .Where(c => c.Info is not null)
            .OrderBy(c => c.Info.Order).ThenBy(c => c.Info.Name, StringComparer.Ordinal)
            .ToList();

    public static List<CheckResult> RunAll(Options options, ResultWriter writer)
    {
        var shared = new SharedState();
        var results = new List<CheckResult>();
        foreach (var (info, method) in Discover())
        {
            bool setup = info.Order < 10;
            if (!setup && options.Only is not null && !options.Only.Contains(info.Name)) continue;
            var result = RunOne(info, method, shared, options);
            results.Add(result);
            writer.Write(results);
        }
        return results;
    }

    private static CheckResult RunOne(CheckAttribute info, MethodInfo method, SharedState shared, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"== {info.Name}: {info.Description}");
        var context = new CheckContext(info.Name, shared, options);
        var clock = Stopwatch.StartNew();
        CheckOutcome outcome;
        if (info.Order >= 10 && !shared.TorchLoaded)
            outcome = CheckOutcome.Skip("TorchSharp did not load (see the 'runtime' check)");
        else if (info.NeedsCuda && shared.Cuda is null)
            outcome = CheckOutcome.Skip($"needs CUDA: {shared.CudaAbsence}");
        else
            outcome = RunIsolated(method, context, TimeSpan.FromSeconds(info.TimeoutSeconds * options.TimeScale));
        var result = new CheckResult(info.Name, info.Description, outcome.Status, outcome.Summary, clock.Elapsed.TotalSeconds,
            context.Metrics.ToList(), context.Details.ToList());
        Console.WriteLine($"{result.Status.ToString().ToUpperInvariant()} {info.Name} ({result.Seconds:F1} s): {result.Summary}");
        return result;
    }

    private static CheckOutcome RunIsolated(MethodInfo method, CheckContext context, TimeSpan limit)
    {
        CheckOutcome? outcome = null;
        Exception? error = null;
        // A thread of its own: an exception ends only this check, and a check that hangs (a native call that
        // never returns) is abandoned after its time limit while the remaining checks go on.
        var thread = new Thread(() =>
        {
            try { outcome = (CheckOutcome)method.Invoke(null, [context])!; }
            catch (TargetInvocationException e) { error = e.InnerException ?? e; }
            catch (Exception e) { error = e; }
        }, 64 * 1024 * 1024) { IsBackground = true, Name = context.ToString() };
        thread.Start();
        if (!thread.Join(limit))
            return CheckOutcome.Fail($"timed out after {limit.TotalSeconds:F0} s (thread abandoned; later GPU checks may be affected)");
        if (error is not null)
        {
            foreach (var line in error.ToString().Split('\n').Take(20)) context.Log(line.TrimEnd());
            return CheckOutcome.Fail($"{error.GetType().Name}: {FirstLine(error.Message)}");
        }
        return outcome ?? CheckOutcome.Fail("the check returned no outcome");
    }

    private static string FirstLine(string s)
    {
        int i = s.IndexOf('\n', StringComparison.Ordinal);
        return i < 0 ? s : s[..i].TrimEnd() + " ...";
    }
}
