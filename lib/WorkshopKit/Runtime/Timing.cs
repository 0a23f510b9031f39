using System.Diagnostics;
using TorchSharp;

namespace WorkshopKit.Runtime;

/// <summary>
/// The one timing loop: untimed warm-up calls, then a number of timed repeats, each synchronizing a CUDA device
/// before the clock starts and before it stops (GPU work is queued, so without it a stopwatch measures the launch),
/// each call in its own dispose scope so that nothing accumulates. The statistic is the <b>median</b> repeat: on a
/// shared machine the minimum reports the luckiest call (a speed a reader rarely sees again) and the mean is dragged by
/// one garbage collection or another process's burst, while the median is the typical call and moves least between
/// runs. The minimum is returned as well, for a reader who wants the best case.
/// </summary>
/// <remarks>
/// Runtime plumbing: readers can skip it. Used by <see cref="Costs.Throughput"/> (notebook 00, "Device and timing
/// report") and <see cref="Costs.ConvSpeed"/> (notebook 02, "One convolution, computed four ways"), the GPU check and
/// the benchmarks.
/// </remarks>
public static class Timing
{
    /// <summary>Times <paramref name="call"/>: <paramref name="warmup"/> untimed calls, then <paramref name="repeats"/> timed repeats of <paramref name="callsPerRepeat"/> calls each.</summary>
    /// <param name="call">The work; run inside a dispose scope, so tensors it makes are freed after each call.</param>
    /// <param name="device">A CUDA device to synchronize around each repeat; null (or a CPU device) for none.</param>
    /// <param name="warmup">Untimed calls first (JIT, cuDNN's algorithm choice, the allocator filling up).</param>
    /// <param name="repeats">Timed repeats; the median of these is reported.</param>
    /// <param name="callsPerRepeat">Calls per repeat (1: the clock stops before the call's scope is disposed; more: each call's scope is disposed inside the timed loop).</param>
    /// <exception cref="ArgumentException">repeats or callsPerRepeat below 1, or warmup below 0.</exception>
    public static TimingResult Measure(Action call, torch.Device? device = null, int warmup = 3, int repeats = 10, int callsPerRepeat = 1)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (repeats < 1 || callsPerRepeat < 1 || warmup < 0)
            throw new ArgumentException($"repeats and callsPerRepeat must be at least 1 and warmup at least 0; got repeats={repeats}, callsPerRepeat={callsPerRepeat}, warmup={warmup}.");
        bool cuda = device is not null && device.type == DeviceType.CUDA;
        for (int i = 0; i < warmup; i++)
        {
            using var scope = torch.NewDisposeScope();
            call();
        }
        var seconds = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            if (cuda) torch.cuda.synchronize(device!);
            if (callsPerRepeat == 1)
            {
                using var scope = torch.NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                call();
                if (cuda) torch.cuda.synchronize(device!);
                seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            else
            {
                long start = Stopwatch.GetTimestamp();
                for (int i = 0; i < callsPerRepeat; i++)
                {
                    using var scope = torch.NewDisposeScope();
                    call();
                }
                if (cuda) torch.cuda.synchronize(device!);
                seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds / callsPerRepeat;
            }
        }
        return new TimingResult(Median(seconds), seconds.Min(), repeats, callsPerRepeat);
    }

    /// <summary>
    /// How many calls of <paramref name="call"/> fill about <paramref name="targetSeconds"/> (at least 1, at most
    /// <paramref name="maxCalls"/>), from one timed call after <paramref name="warmup"/> untimed ones; pass it to
    /// <see cref="Measure"/> as callsPerRepeat when one call is too short to time alone.
    /// </summary>
    public static int CallsToFill(Action call, double targetSeconds, int maxCalls = 1000, torch.Device? device = null, int warmup = 3)
    {
        ArgumentNullException.ThrowIfNull(call);
        double one = Math.Max(Measure(call, device, warmup, repeats: 1).MedianSeconds, 1e-6);
        return (int)Math.Clamp(targetSeconds / one, 1, Math.Max(1, maxCalls));
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the two middle values for an even count).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("The median of no values is undefined; time at least one repeat.", nameof(values));
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
